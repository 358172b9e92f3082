/** The permissions vocabulary: action lists, ARNs and statement builders for every managed policy. */
export * from './actions';
export * from './arns';
export * from './statements';
