/** Every create (action), keyed as Zapier expects. */
export const creates = {};
