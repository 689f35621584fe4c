import { hookTrigger } from '../lib/hooks';

export default hookTrigger('contact.created');
