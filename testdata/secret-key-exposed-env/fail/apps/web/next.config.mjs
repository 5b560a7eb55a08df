const CLERK_SECRET_KEY = process.env.CLERK_SECRET_KEY
export default {
  env: { CLERK_SECRET_KEY }, // expect: secret-key-exposed-env
}
