'use client'
// process.env.CLERK_SECRET_KEY is mentioned in a comment only.
const pk = process.env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY
const url = process.env.NEXT_PUBLIC_CLERK_SIGN_IN_URL
export const SignIn = () => null
