import { hookTrigger } from '../lib/hooks';

export default hookTrigger('deal.updated');
