// The code of every st.components.v2 component of the app (inclucities/browser_files.py puts
// the module's hashed URL in place of __MODULE_URL__): it imports that module, the same file
// the server serves under /assets, and mounts it with the component. A failed fetch is tried
// twice more; a module that still cannot be had is tried again at the next mount.
const url = new URL("__MODULE_URL__", document.baseURI).href;
let loading = null;

function load(attempt) {
  return import(attempt ? `${url}?attempt=${attempt}` : url).catch((error) => {
    if (attempt >= 2) throw error;
    const later = new Promise((done) => setTimeout(done, 1000 * (attempt + 1)));
    return later.then(() => load(attempt + 1));
  });
}

export default function (component) {
  let cleanup = null;
  let gone = false;
  loading = loading || load(0);
  loading.then(
    (module) => {
      if (!gone) cleanup = module.default(component);
    },
    (error) => {
      loading = null;
      console.error(`${url} could not be loaded`, error);
    },
  );
  return () => {
    gone = true;
    if (typeof cleanup === "function") cleanup();
  };
}
