/** Every trigger, keyed as Zapier expects. Adding a trigger: one file and one line here. */
export const triggers = {};
