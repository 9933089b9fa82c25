// Loaded before every test file (scripts/run-tests.mjs): the shell grammar's WebAssembly compiles
// asynchronously, once, and the analysis the tests call is synchronous.
import grammar from '../../server/src/analysis/parse/bashGrammar';

await grammar.loadShellParser();
const failure = grammar.shellParserFailure();
if (failure) throw failure;
