// A barrel module: the unchecked mutation is callable as `api:remove` too.
export { remove } from './notes' // expect: unprotected-route-handler
export { mine } from './notes'
