// This page only mentions 'use server' in a comment; it has no action.
export default function Other() {
  return <p>hello</p>
}
