import { createMcpHandler, withMcpAuth } from 'mcp-handler'
import { readBearer } from '@/lib/mcp-token'

const mcp = createMcpHandler((server) => {
  server.tool('notes', 'Lists notes', {}, async () => ({ content: [{ type: 'text', text: '[]' }] }))
})

// `required` defaults to false: a request without a bearer token reaches the tools.
export const POST = withMcpAuth(mcp, readBearer) // expect: unprotected-route-handler
export const GET = withMcpAuth(mcp, readBearer, { required: false }) // expect: unprotected-route-handler
