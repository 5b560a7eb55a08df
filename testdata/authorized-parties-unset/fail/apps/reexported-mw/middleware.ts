export { default, config } from './lib/middleware'
