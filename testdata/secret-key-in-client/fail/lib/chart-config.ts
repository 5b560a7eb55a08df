export const chartConfig = { clerkSecret: 'sk_test_RlKfNJfqBgqhA0iokAXSmqERnA0egfiSAiWHY07LBY' } // expect: secret-key-in-client
