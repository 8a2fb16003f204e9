/** Styles of the executions views. */
import { css } from 'lit';

export const executionsStyles = css``;
