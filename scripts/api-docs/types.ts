/**
 * What the TypeScript compiler knows about the operations that their zod
 * schemas do not say: each method's result type (as written on its `run`,
 * else as the checker prints it), the file that declares each type it names,
 * the `kind`s of a result union, the doc comments of input fields, and the
 * input type of a field that JSON Schema cannot express (a `z.custom`).
 *
 * The program is built from tsconfig.json's options with src/engine/engine.ts
 * as its only root, so only what the engine imports is checked.
 */
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A type named in a result, and the repository file that declares it. */
export interface TypeRef {
  readonly name: string;
  readonly file: string;
}

export interface OperationTypes {
  /** The method's result type, e.g. `Handle | null`. */
  readonly result: string;
  /** The types the result names that the repository declares, in order. */
  readonly resultRefs: readonly TypeRef[];
  /** The `kind` of each member of the result union (sorted), when every member has one literal `kind`. */
  readonly resultKinds: readonly string[];
  /** Doc comments of the input's top-level fields, by field name. */
  readonly fieldDocs: ReadonlyMap<string, string>;
  /** The input type of the field at `path` (property names, `[]` for array items). */
  typeAt(path: readonly string[]): string | undefined;
}

const FORMAT = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

export interface ApiTypes {
  /** Every operation of OPERATIONS (src/engine/operations.ts), by name. */
  readonly operations: ReadonlyMap<string, OperationTypes>;
  /** The field doc comments of the zod object schema exported as `name` from `file`. */
  fieldDocsOf(file: string, name: string): ReadonlyMap<string, string>;
}

export function readApiTypes(): ApiTypes {
  const configPath = resolve(REPO_ROOT, 'tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!config) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram({ rootNames: [resolve(REPO_ROOT, 'src/engine/engine.ts')], options: config.options });
  const checker = program.getTypeChecker();

  const methods = checker.getDeclaredTypeOfSymbol(exported(checker, program, 'src/engine/engine.ts', 'EngineMethods'));
  const table = exported(checker, program, 'src/engine/operations.ts', 'OPERATIONS').valueDeclaration;
  if (!table || !ts.isVariableDeclaration(table) || !table.initializer) throw new Error('OPERATIONS is not a variable with an initializer');
  const list = skipAssertions(table.initializer);
  if (!ts.isArrayLiteralExpression(list)) throw new Error('OPERATIONS is not an array literal');

  const operations = new Map<string, OperationTypes>();
  for (const element of list.elements) {
    const opType = checker.getTypeAtLocation(element);
    const nameType = propertyType(checker, opType, 'name');
    if (!nameType?.isStringLiteral()) throw new Error(`an element of OPERATIONS has no literal name: ${element.getText()}`);
    const name = nameType.value;
    const method = checker.getPropertyOfType(methods, name);
    const signature = method && checker.getSignaturesOfType(checker.getTypeOfSymbol(method), ts.SignatureKind.Call)[0];
    if (!signature) throw new Error(`EngineMethods has no method ${name}`);
    const returnType = signature.getReturnType();
    const annotation = runAnnotation(checker, element);
    const schemaType = propertyType(checker, opType, 'input');
    operations.set(name, {
      result: annotation ? annotation.getText().replace(/\s+/g, ' ').replace(/^\| /, '') : printType(checker, returnType),
      resultRefs: dedupe(annotation ? refsInNode(checker, annotation) : refsInType(checker, returnType)),
      resultKinds: kindsOf(checker, returnType),
      fieldDocs: fieldDocs(checker, propertyType(checker, schemaType, 'shape')),
      typeAt: (path) => {
        const inputType = schemaType && propertyType(checker, propertyType(checker, schemaType, '_zod'), 'input');
        const type = inputType && typeAtPath(checker, inputType, path);
        return type && printType(checker, type);
      },
    });
  }
  return {
    operations,
    fieldDocsOf: (file, name) => {
      const symbol = exported(checker, program, file, name);
      return symbol.flags & ts.SymbolFlags.Value
        ? fieldDocs(checker, propertyType(checker, checker.getTypeOfSymbol(symbol), 'shape'))
        : fieldDocs(checker, checker.getDeclaredTypeOfSymbol(symbol));
    },
  };
}

function exported(checker: ts.TypeChecker, program: ts.Program, file: string, name: string): ts.Symbol {
  const source = program.getSourceFile(resolve(REPO_ROOT, file));
  const module = source && checker.getSymbolAtLocation(source);
  const symbol = module && checker.getExportsOfModule(module).find((candidate) => candidate.name === name);
  if (!symbol) throw new Error(`${file} does not export ${name}`);
  return symbol;
}

function skipAssertions(node: ts.Expression): ts.Expression {
  while (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

function propertyType(checker: ts.TypeChecker, type: ts.Type | undefined, name: string): ts.Type | undefined {
  const property = type && checker.getPropertyOfType(type, name);
  return property && checker.getTypeOfSymbol(property);
}

/** The return type annotation of the operation's `run`, found through the `defineOperation({...})` call. */
function runAnnotation(checker: ts.TypeChecker, element: ts.Expression): ts.TypeNode | undefined {
  let node: ts.Node = element;
  if (ts.isIdentifier(node)) {
    let symbol = checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration;
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    node = skipAssertions(declaration.initializer);
  }
  if (!ts.isCallExpression(node)) return undefined;
  const definition = node.arguments[0];
  if (!definition || !ts.isObjectLiteralExpression(definition)) return undefined;
  for (const property of definition.properties) {
    if (property.name?.getText() !== 'run') continue;
    if (ts.isMethodDeclaration(property)) return property.type;
    if (ts.isPropertyAssignment(property)) {
      const body = skipAssertions(property.initializer);
      if (ts.isArrowFunction(body) || ts.isFunctionExpression(body)) return body.type;
    }
  }
  return undefined;
}

function printType(checker: ts.TypeChecker, type: ts.Type): string {
  return checker.typeToString(type, undefined, FORMAT).replace(/<ArrayBufferLike>/g, '');
}

/** The repository file declaring `symbol`, or undefined for the standard library and packages. */
function declaringFile(symbol: ts.Symbol | undefined): string | undefined {
  const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
  if (!file || file.includes('/node_modules/')) return undefined;
  const path = relative(REPO_ROOT, file).split('\\').join('/');
  return path.startsWith('..') ? undefined : path;
}

function refsInNode(checker: ts.TypeChecker, annotation: ts.TypeNode): TypeRef[] {
  const refs: TypeRef[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node)) {
      let symbol = checker.getSymbolAtLocation(node.typeName);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const file = declaringFile(symbol);
      if (file) refs.push({ name: node.typeName.getText(), file });
    }
    ts.forEachChild(node, visit);
  };
  visit(annotation);
  return refs;
}

function refsInType(checker: ts.TypeChecker, type: ts.Type): TypeRef[] {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const file = declaringFile(symbol);
  if (symbol && file && !symbol.name.startsWith('__')) return [{ name: symbol.name, file }];
  const parts = type.isUnion() ? type.types : isReference(type) ? checker.getTypeArguments(type) : [];
  return parts.flatMap((part) => refsInType(checker, part));
}

function isReference(type: ts.Type): type is ts.TypeReference {
  return (type.flags & ts.TypeFlags.Object) !== 0 && ((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) !== 0;
}

function dedupe(refs: TypeRef[]): TypeRef[] {
  return refs.filter((ref, index) => refs.findIndex((other) => other.name === ref.name) === index);
}

/** `created`, `duplicate` for `{ kind: 'created', … } | { kind: 'duplicate', … }` (awaited, without null). */
function kindsOf(checker: ts.TypeChecker, type: ts.Type): string[] {
  const awaited = checker.getNonNullableType(checker.getAwaitedType(type) ?? type);
  const members = awaited.isUnion() ? awaited.types : [awaited];
  const kinds: string[] = [];
  for (const member of members) {
    const kind = propertyType(checker, member, 'kind');
    if (!kind?.isStringLiteral()) return [];
    kinds.push(kind.value);
  }
  return [...new Set(kinds)].sort();
}

/** The doc comment of each property of `type` (a zod object's `shape`, or an interface). */
function fieldDocs(checker: ts.TypeChecker, type: ts.Type | undefined): Map<string, string> {
  const docs = new Map<string, string>();
  if (!type) return docs;
  for (const field of checker.getPropertiesOfType(type)) {
    const text = ts.displayPartsToString(field.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();
    if (text) docs.set(field.name, text);
  }
  return docs;
}

function typeAtPath(checker: ts.TypeChecker, type: ts.Type, path: readonly string[]): ts.Type | undefined {
  let current: ts.Type | undefined = type;
  for (const step of path) {
    if (!current) return undefined;
    const defined = checker.getNonNullableType(current);
    current =
      step === '[]'
        ? (checker.getIndexTypeOfType(defined, ts.IndexKind.Number) ?? checker.getIndexTypeOfType(defined, ts.IndexKind.String))
        : propertyType(checker, defined, step);
  }
  return current && checker.getNonNullableType(current);
}
