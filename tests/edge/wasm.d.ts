// The bundler hands `*.wasm` imports to workerd, which provides them as precompiled modules.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
