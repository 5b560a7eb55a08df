export default function Header({ title }) {
  return <h1>{title}</h1>;
}
