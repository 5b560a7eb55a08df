import { createAppMiddleware } from '../lib/auth'

export const edge = createAppMiddleware(['/'])
