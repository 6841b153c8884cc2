// Modules that exist only in a built site (build.py writes or copies them), for `tsc -p .`.
declare module "*/build-info.js" {
  const buildInfo: import("./types").BuildInfo;
  export default buildInfo;
}
// d3's UMD bundle, copied from node_modules into the site's vendor/: it sets window.d3.
declare module "*/vendor/d3.min.js" {}
