<?php

namespace Drupal\scim_provisioning\Event;

/**
 * Names the events dispatched when SCIM saves a Drupal account.
 *
 * Both events carry a \Drupal\scim_provisioning\Event\ScimAccountEvent: the
 * account, the SCIM User resource it is saved from, and what SCIM is doing.
 * Subscribers can map attributes no rule covers (phoneNumbers, addresses,
 * the enterprise extension) to fields of their own, or react to accounts
 * SCIM created, changed, deactivated or gave roles.
 *
 * @code
 * public static function getSubscribedEvents(): array {
 *   return [ScimAccountEvents::PRE_SAVE => 'onPreSave'];
 * }
 *
 * public function onPreSave(ScimAccountEvent $event): void {
 *   $phone = $event->getResource()['phoneNumbers'][0]['value'] ?? NULL;
 *   $event->getAccount()->set('field_phone', $phone);
 * }
 * @endcode
 */
final class ScimAccountEvents {

  /**
   * Dispatched before SCIM saves an account.
   *
   * The account may still be changed; it is validated and saved after every
   * subscriber ran. Throwing a \Scim\Exception subclass (for example
   * \Scim\ForbiddenException) refuses the request with that SCIM error;
   * nothing is saved.
   *
   * @Event
   */
  public const PRE_SAVE = 'scim_provisioning.account.pre_save';

  /**
   * Dispatched after SCIM saved an account, inside the same transaction.
   *
   * @Event
   */
  public const POST_SAVE = 'scim_provisioning.account.post_save';

  /**
   * This class holds constants only.
   */
  private function __construct() {
  }

}
