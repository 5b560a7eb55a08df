export * from './format'
export { parse } from './parse'
