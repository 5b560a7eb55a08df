export { createAppMiddleware } from '../middleware-factory'
