export const Stats = () => <p>42 projects</p>
