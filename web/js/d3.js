// d3 as an ES module without a bundler: d3's UMD build, evaluated as a module
// (where `this` is undefined), attaches itself to globalThis.d3.
import "../vendor/d3.min.js";

export default globalThis.d3;
