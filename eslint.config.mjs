// ESLint for the browser code we write (static/js, static/form, static/map) and its tests
// (tests/js). Vendored libraries (static/vendor) and node_modules are not ours to lint.
// Run: npx eslint   (pytest runs it too: tests/test_javascript.py)
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "static/vendor/"] },
  js.configs.recommended,
  {
    // ES modules: the form (st.components.v2 and the light page's <script type="module">)
    // and the live screen (st.components.v2)
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
