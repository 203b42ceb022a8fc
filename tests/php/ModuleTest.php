<?php

declare(strict_types=1);

namespace Scim\Tests;

/**
 * The module itself: name, version, ini settings.
 */
final class ModuleTest extends ScimTestCase {

  public function testVersionAgreesEverywhere(): void {
    $this->assertMatchesRegularExpression('/^\d+\.\d+\.\d+/', \Scim\VERSION);
    $this->assertSame(\Scim\VERSION, \Scim\version());
    $this->assertSame(\Scim\VERSION, phpversion('scim'));
  }

  public function testExtensionIsLoadedAsScim(): void {
    $this->assertContains('scim', get_loaded_extensions());
    $extension = new \ReflectionExtension('scim');
    $this->assertSame('scim', $extension->getName());
    $this->assertSame(['scim.enable_test_hooks' => '1'], $extension->getINIEntries());
  }

  public function testTestHooksCannotBeEnabledAtRuntime(): void {
    $this->assertFalse(@ini_set('scim.enable_test_hooks', '0'));
    $this->assertSame('1', ini_get('scim.enable_test_hooks'));
  }

}
