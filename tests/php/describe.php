<?php

/**
 * @file
 * Describes PHP symbols through Reflection, as JSON, for stubs_test.php.
 *
 * Usage: php describe.php ext           (the loaded scim extension)
 *        php -n describe.php stub FILE  (what FILE declares; run without the
 *                                        extension, as the names clash)
 */

declare(strict_types=1);

/**
 * Describes a function or method's signature.
 */
function describe_callable(ReflectionFunctionAbstract $f): array {
  $params = [];
  foreach ($f->getParameters() as $p) {
    $params[] = [
      'name' => $p->getName(),
      'type' => $p->hasType() ? (string) $p->getType() : NULL,
      'optional' => $p->isOptional(),
      'default' => $p->isDefaultValueAvailable() ? var_export($p->getDefaultValue(), TRUE) : NULL,
      'byRef' => $p->isPassedByReference(),
      'variadic' => $p->isVariadic(),
    ];
  }
  $out = [
    'params' => $params,
    'return' => $f->hasReturnType() ? (string) $f->getReturnType() : NULL,
  ];
  if ($f instanceof ReflectionMethod) {
    $out['modifiers'] = Reflection::getModifierNames($f->getModifiers());
  }
  return $out;
}

/**
 * Describes a class: parent, modifiers, and what it declares itself.
 */
function describe_class(ReflectionClass $c): array {
  $constants = [];
  foreach ($c->getReflectionConstants() as $k) {
    if ($k->getDeclaringClass()->getName() === $c->getName()) {
      $constants[$k->getName()] = $k->getValue();
    }
  }
  $defaults = $c->getDefaultProperties();
  $properties = [];
  foreach ($c->getProperties() as $p) {
    if ($p->getDeclaringClass()->getName() === $c->getName()) {
      $properties[$p->getName()] = [
        'modifiers' => Reflection::getModifierNames($p->getModifiers()),
        'default' => $defaults[$p->getName()] ?? NULL,
      ];
    }
  }
  ksort($properties);
  $methods = [];
  foreach ($c->getMethods() as $m) {
    if ($m->getDeclaringClass()->getName() === $c->getName()) {
      $methods[$m->getName()] = describe_callable($m);
    }
  }
  ksort($methods);
  $parent = $c->getParentClass();
  return [
    'parent' => $parent ? $parent->getName() : NULL,
    'interfaces' => $c->isInterface() ? $c->getInterfaceNames() : NULL,
    'modifiers' => Reflection::getModifierNames($c->getModifiers()),
    'constants' => $constants,
    'properties' => $properties,
    'methods' => $methods,
  ];
}

/**
 * Describes the given classes, functions and constants.
 */
function describe(array $classes, array $functions, array $constants): array {
  $out = [];
  foreach ($classes as $name) {
    $out["class $name"] = describe_class(new ReflectionClass($name));
  }
  foreach ($functions as $name) {
    $function = new ReflectionFunction($name);
    $out['function ' . $function->getName()] = describe_callable($function);
  }
  foreach ($constants as $name => $value) {
    $out["const $name"] = $value;
  }
  ksort($out);
  return $out;
}

$mode = $argv[1] ?? '';
if ($mode === 'ext') {
  $ext = new ReflectionExtension('scim');
  $out = describe($ext->getClassNames(), array_keys($ext->getFunctions()), $ext->getConstants());
}
elseif ($mode === 'stub' && isset($argv[2])) {
  $classes = array_merge(get_declared_classes(), get_declared_interfaces());
  $functions = get_defined_functions()['user'];
  $constants = get_defined_constants();
  require $argv[2];
  $out = describe(
    array_values(array_diff(array_merge(get_declared_classes(), get_declared_interfaces()), $classes)),
    array_values(array_diff(get_defined_functions()['user'], $functions)),
    array_diff_key(get_defined_constants(), $constants),
  );
}
else {
  fwrite(STDERR, "usage: describe.php ext | describe.php stub FILE\n");
  exit(2);
}
echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
