import { hookTrigger } from '../lib/hooks';

export default hookTrigger('deal.stage_changed');
