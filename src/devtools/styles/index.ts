/** Every stylesheet of the devtools, adopted once by `<ff-devtools>`'s shadow root. */
import { baseStyles } from './base.js';
import { budgetsStyles } from './budgets.js';
import { executionsStyles } from './executions.js';
import { flowsStyles } from './flows.js';
import { panelsStyles } from './panels.js';
import { shellStyles } from './shell.js';
import { statusStyles } from './status.js';
import { timelineStyles } from './timeline.js';

export const basePanelsStyles = [baseStyles, panelsStyles, shellStyles, budgetsStyles, executionsStyles, flowsStyles, timelineStyles, statusStyles];
