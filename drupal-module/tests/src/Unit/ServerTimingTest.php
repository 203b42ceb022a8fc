<?php

namespace Drupal\Tests\scim_provisioning\Unit;

use Drupal\scim_provisioning\Http\ServerTiming;
use PHPUnit\Framework\TestCase;

/**
 * Tests the timer behind the Server-Timing header.
 *
 * @coversDefaultClass \Drupal\scim_provisioning\Http\ServerTiming
 * @group scim_provisioning
 */
class ServerTimingTest extends TestCase {

  /**
   * Tests that the timer is off unless the setting turns it on.
   *
   * @covers ::fromSettings
   */
  public function testOffUnlessTheSettingSaysOn(): void {
    $settings = new class ([]) {

      /**
       * The settings.
       *
       * @var array
       */
      public array $values;

      /**
       * Constructs the settings.
       *
       * @param array $values
       *   The settings.
       */
      public function __construct(array $values) {
        $this->values = $values;
      }

      /**
       * Returns a setting, as \Drupal\Core\Site\Settings::get() does.
       *
       * @param string $name
       *   The name.
       * @param mixed $default
       *   The default.
       *
       * @return mixed
       *   The value.
       */
      public function get(string $name, $default = NULL) {
        return $this->values[$name] ?? $default;
      }

    };
    $this->assertFalse(ServerTiming::fromSettings($settings)->isEnabled());
    $settings->values['scim_provisioning_server_timing'] = TRUE;
    $this->assertTrue(ServerTiming::fromSettings($settings)->isEnabled());
  }

  /**
   * Tests the phases of the header and that nested starts count once.
   *
   * @covers ::header
   * @covers ::start
   * @covers ::stop
   */
  public function testHeaderSubtractsTheStoreFromTheExtension(): void {
    $timing = new ServerTiming(TRUE);
    $timing->start('total');
    $timing->start('handle');
    $timing->start('store');
    $timing->start('store');
    $timing->start('entity');
    usleep(20000);
    $timing->stop('entity');
    $timing->stop('store');
    usleep(20000);
    $timing->stop('store');
    $timing->stop('handle');
    $timing->stop('total');
    // A stop without a start is ignored.
    $timing->stop('log');

    $this->assertMatchesRegularExpression('/^total;dur=\d+\.\d\d, scim;dur=\d+\.\d\d, store;dur=\d+\.\d\d, entity;dur=\d+\.\d\d, log;dur=0\.00$/', $timing->header());
    $this->assertGreaterThanOrEqual(40.0, $timing->milliseconds('store'), 'The nested start did not restart the phase.');
    $this->assertGreaterThanOrEqual(20.0, $timing->milliseconds('entity'));
    $this->assertLessThan($timing->milliseconds('store'), $timing->milliseconds('entity'));
    $this->assertLessThanOrEqual($timing->milliseconds('total'), $timing->milliseconds('handle'));
    preg_match('/scim;dur=([\d.]+)/', $timing->header(), $scim);
    $this->assertLessThan(10.0, (float) $scim[1], 'scim is the time in the extension less the store.');

    $timing->reset();
    $this->assertSame(0.0, $timing->milliseconds('total'));
  }

  /**
   * Tests that a timer that is off measures nothing.
   *
   * @covers ::start
   */
  public function testOffMeasuresNothing(): void {
    $timing = new ServerTiming(FALSE);
    $timing->start('total');
    usleep(1000);
    $timing->stop('total');
    $this->assertSame(0.0, $timing->milliseconds('total'));
  }

}
