// Not in the table: public, and gated nowhere.
export default function Lessons() {
  return <p>Lessons</p>
}
