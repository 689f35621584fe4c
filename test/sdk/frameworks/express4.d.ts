// Express 4 is installed as `express4` (an npm alias of express 4.22.3) and ships no types: its
// API as used here (express(), use, post, raw, text, json) is typed as Express 5's
// (@types/express). Only the types are borrowed: the tests run the real Express 4.
declare module 'express4' {
  import express from 'express';
  export = express;
}
