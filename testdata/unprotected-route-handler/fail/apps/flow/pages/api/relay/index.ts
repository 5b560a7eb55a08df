// Near miss: the re-exported default is a request handler where it is declared.
export { default } from '../../../lib/relay-handler' // expect: unprotected-route-handler
