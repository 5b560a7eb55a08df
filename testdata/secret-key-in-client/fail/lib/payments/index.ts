export * from './client'
export { refunds } from './refunds'
