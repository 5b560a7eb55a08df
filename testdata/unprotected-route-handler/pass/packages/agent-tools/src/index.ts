import { createMcpHandler, experimental_withMcpAuth as withMcpAuth } from '@vercel/mcp-adapter'
import { lookupAgentKey } from './keys'

const AUTH_OPTIONS = { required: true }

export const agentEndpoint = () => {
  const tools = createMcpHandler((server) => {
    server.tool('ping', 'Answers pong', {}, async () => ({ content: [{ type: 'text', text: 'pong' }] }))
  })
  return withMcpAuth(tools, lookupAgentKey, AUTH_OPTIONS)
}
