import { agentEndpoint } from '@/lib/agent'

const endpoint = agentEndpoint()

export { endpoint as POST } // expect: unprotected-route-handler
