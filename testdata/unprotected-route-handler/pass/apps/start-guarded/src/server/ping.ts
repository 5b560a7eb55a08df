import { createServerFn } from '@tanstack/react-start'

// A debug check: a log line and the time, nothing read or written.
export const checkRpc = createServerFn({ method: 'GET' }).handler(() => {
  console.log('rpc reached the server')
  return { message: 'rpc works', at: Date.now() }
})
