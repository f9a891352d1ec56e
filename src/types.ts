export interface CascadeOptions {}
