/** Styles of the timeline views. */
import { css } from 'lit';

export const timelineStyles = css``;
