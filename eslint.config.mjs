// ESLint for the browser code we write (static/js, static/form, static/map) and its tests
// (tests/js). Vendored libraries (static/vendor) and node_modules are not ours to lint.
// Run: npx eslint   (pytest runs it too: tests/test_javascript.py)
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "static/vendor/"] },
  js.configs.recommended,
  {
    // ES modules, loaded by their hashed URL (inclucities/browser_files.py): the form (the light
    // page's <script type="module">, and st.components.v2 like the live screen and the page
    // frame, whose component code is static/js/module-loader.js)
    files: ["static/js/**/*.js", "static/form/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser } },
  },
  {
    // a classic script, loaded after Leaflet by the folium map (inclucities/mapping.py)
    files: ["static/map/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, L: "readonly" },
    },
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
  },
];
