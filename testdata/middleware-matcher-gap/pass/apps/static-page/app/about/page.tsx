// No Clerk calls: skipping it is fine.
export default function About() { return <p>About</p> }
