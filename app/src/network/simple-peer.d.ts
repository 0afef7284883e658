// simple-peer's prebuilt browser bundle carries its own `global`/`process` shims; its types are the package's.
declare module 'simple-peer/simplepeer.min.js' {
  import SimplePeer from 'simple-peer';
  export default SimplePeer;
}
