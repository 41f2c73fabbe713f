// main.js imports sample.json as text (`with { type: 'text' }`, esbuild's text loader):
// its default export is the file's text, not the parsed JSON that tsc would assume.
declare const text: string;
export default text;
