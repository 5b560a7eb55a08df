export { GET } from './handlers'
