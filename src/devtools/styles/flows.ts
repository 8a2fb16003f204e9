/** Styles of the flows views. */
import { css } from 'lit';

export const flowsStyles = css``;
