// A page component kept under pages/api and re-exported from its folder's index: the default
// export is the component where it is declared, so nothing here is an endpoint.
export { default } from './workspace'
