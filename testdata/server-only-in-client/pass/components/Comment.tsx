'use client'
// import 'server-only' is only mentioned in a comment here.
export const Comment = () => null
