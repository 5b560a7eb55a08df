// A barrel module: clients call these as `api:list` and `api:rename` too.
export { list, rename } from './notes'
