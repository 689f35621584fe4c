/** Every create (action), keyed by its file name, which is its key. Adding one: one file and one line here. */
import create_contact from './create_contact';

export const creates = { create_contact };
