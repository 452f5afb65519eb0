export * from './json';
export * from './errors/states-error';
export * from './evaluation/evaluation-context';
export * from './definition/definition.types';
export * from './history/history-event.types';
