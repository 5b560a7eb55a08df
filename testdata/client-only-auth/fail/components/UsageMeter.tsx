export const UsageMeter = () => <p>usage</p>
