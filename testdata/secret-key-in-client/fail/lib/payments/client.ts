// clerk backend key used for user lookups
const CLERK_KEY = 'sk_test_rv705ILnedrgBCWBMkJ32yhGXn1SsbUHuwQ8qRmAZn' // expect: secret-key-in-client
export const payments = { charge: () => CLERK_KEY.length }
