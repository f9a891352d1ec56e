// Packages the host only hands through to a plugin that asks for them; it never calls their API,
// so their missing type declarations do not matter here.
declare module 'd3';
declare module 'jquery';
declare module 'prismjs';
declare module 'react-router-dom';
