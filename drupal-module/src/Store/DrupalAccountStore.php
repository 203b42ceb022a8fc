<?php

namespace Drupal\scim_provisioning\Store;

use Drupal\Component\Datetime\TimeInterface;
use Drupal\Component\Uuid\UuidInterface;
use Drupal\Core\Config\ConfigFactoryInterface;
use Drupal\Core\Database\Connection;
use Drupal\Core\Database\Query\ConditionInterface;
use Drupal\Core\Entity\EntityTypeManagerInterface;
use Drupal\Core\Messenger\MessengerInterface;
use Drupal\Core\Password\PasswordGeneratorInterface;
use Drupal\Core\Utility\Error;
use Drupal\Core\Validation\Plugin\Validation\Constraint\UniqueFieldConstraint;
use Drupal\scim_provisioning\Event\ScimAccountEvent;
use Drupal\scim_provisioning\Event\ScimAccountEvents;
use Drupal\scim_provisioning\Http\ServerTiming;
use Drupal\user\Plugin\Validation\Constraint\UserMailRequired;
use Drupal\user\UserInterface;
use Psr\Log\LoggerInterface;
use Scim\Exception;
use Scim\Filter;
use Scim\ForbiddenException;
use Scim\InternalException;
use Scim\InvalidValueException;
use Scim\NotFoundException;
use Scim\PreconditionFailedException;
use Scim\Store;
use Scim\UniquenessException;
use Symfony\Contracts\EventDispatcher\EventDispatcherInterface;

/**
 * Keeps SCIM Users as Drupal accounts and SCIM Groups as role sources.
 *
 * The extension's \Scim\Server validates requests, applies PATCH, filters
 * and renders; it calls this store to keep resources (the contract is
 * \Scim\Store, see STORE-INTERFACE.md). Here:
 * - A User's SCIM id is its account's UUID. Its whole SCIM document is kept
 *   in scim_provisioning_resource, so that attributes no field holds
 *   survive; mapped attributes are written to the account through the
 *   entity API and read back from it, Drupal being the truth for them.
 * - A Group is its document plus its memberships; the role map turns
 *   memberships into roles of member accounts, within the allow-list.
 * - The site builder's policy applies: allowed operations, the privilege
 *   firewall, take-over of existing accounts, the cancellation methods of
 *   active=false and DELETE, password sync, the welcome email.
 * - Every write runs in one database transaction whose first statement is
 *   a write, and replace() is a compare-and-swap on the version.
 *
 * What each request did beyond the extension's own event (take-over,
 * cancellation, roles) is collected as notes for the provisioning log.
 */
class DrupalAccountStore implements Store {

  /**
   * The core schema URN of each resource type.
   */
  protected const CORE_URNS = [
    'User' => 'urn:ietf:params:scim:schemas:core:2.0:User',
    'Group' => 'urn:ietf:params:scim:schemas:core:2.0:Group',
  ];

  /**
   * The flags documents are encoded with.
   */
  protected const JSON_FLAGS = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR;

  /**
   * The resource tables.
   *
   * @var \Drupal\scim_provisioning\Store\ResourceTable
   */
  protected ResourceTable $table;

  /**
   * The translator of filters into conditions on the resource table.
   *
   * @var \Drupal\scim_provisioning\Store\FilterTranslator
   */
  protected FilterTranslator $translator;

  /**
   * The database connection, for transactions.
   *
   * @var \Drupal\Core\Database\Connection
   */
  protected Connection $database;

  /**
   * The entity type manager.
   *
   * @var \Drupal\Core\Entity\EntityTypeManagerInterface
   */
  protected EntityTypeManagerInterface $entityTypeManager;

  /**
   * The config factory.
   *
   * @var \Drupal\Core\Config\ConfigFactoryInterface
   */
  protected ConfigFactoryInterface $configFactory;

  /**
   * The event dispatcher.
   *
   * @var \Symfony\Contracts\EventDispatcher\EventDispatcherInterface
   */
  protected EventDispatcherInterface $dispatcher;

  /**
   * The module's logger channel.
   *
   * @var \Psr\Log\LoggerInterface
   */
  protected LoggerInterface $logger;

  /**
   * The time service.
   *
   * @var \Drupal\Component\Datetime\TimeInterface
   */
  protected TimeInterface $time;

  /**
   * The UUID generator.
   *
   * @var \Drupal\Component\Uuid\UuidInterface
   */
  protected UuidInterface $uuid;

  /**
   * The password generator.
   *
   * @var \Drupal\Core\Password\PasswordGeneratorInterface
   */
  protected PasswordGeneratorInterface $passwordGenerator;

  /**
   * The messenger, cleared of the messages account cancellation leaves.
   *
   * @var \Drupal\Core\Messenger\MessengerInterface
   */
  protected MessengerInterface $messenger;

  /**
   * The timer of the Server-Timing header.
   *
   * @var \Drupal\scim_provisioning\Http\ServerTiming
   */
  protected ServerTiming $timing;

  /**
   * The mapping, compiled once per configuration.
   *
   * @var \Drupal\scim_provisioning\Store\AccountMapping|null
   */
  protected ?AccountMapping $mapping = NULL;

  /**
   * The configuration the mapping was compiled from, serialized.
   *
   * @var string
   */
  protected string $mappingKey = '';

  /**
   * How many store writes are under way; hooks ignore the saves they make.
   *
   * @var int
   */
  protected int $writing = 0;

  /**
   * What the current request did, for the provisioning log.
   *
   * @var array
   */
  protected array $report = ['operation' => NULL, 'notes' => []];

  /**
   * Constructs the store.
   *
   * @param \Drupal\scim_provisioning\Store\ResourceTable $table
   *   The resource tables.
   * @param \Drupal\scim_provisioning\Store\FilterTranslator $translator
   *   The filter translator.
   * @param \Drupal\Core\Database\Connection $database
   *   The database connection.
   * @param \Drupal\Core\Entity\EntityTypeManagerInterface $entity_type_manager
   *   The entity type manager.
   * @param \Drupal\Core\Config\ConfigFactoryInterface $config_factory
   *   The config factory.
   * @param \Symfony\Contracts\EventDispatcher\EventDispatcherInterface $dispatcher
   *   The event dispatcher.
   * @param \Psr\Log\LoggerInterface $logger
   *   The module's logger channel.
   * @param \Drupal\Component\Datetime\TimeInterface $time
   *   The time service.
   * @param \Drupal\Component\Uuid\UuidInterface $uuid
   *   The UUID generator.
   * @param \Drupal\Core\Password\PasswordGeneratorInterface $password_generator
   *   The password generator.
   * @param \Drupal\Core\Messenger\MessengerInterface $messenger
   *   The messenger.
   * @param \Drupal\scim_provisioning\Http\ServerTiming $timing
   *   The timer of the Server-Timing header.
   */
  public function __construct(ResourceTable $table, FilterTranslator $translator, Connection $database, EntityTypeManagerInterface $entity_type_manager, ConfigFactoryInterface $config_factory, EventDispatcherInterface $dispatcher, LoggerInterface $logger, TimeInterface $time, UuidInterface $uuid, PasswordGeneratorInterface $password_generator, MessengerInterface $messenger, ServerTiming $timing) {
    $this->table = $table;
    $this->translator = $translator;
    $this->database = $database;
    $this->entityTypeManager = $entity_type_manager;
    $this->configFactory = $config_factory;
    $this->dispatcher = $dispatcher;
    $this->logger = $logger;
    $this->time = $time;
    $this->uuid = $uuid;
    $this->passwordGenerator = $password_generator;
    $this->messenger = $messenger;
    $this->timing = $timing;
  }

  /**
   * {@inheritdoc}
   */
  public function get(string $type, string $id): array {
    return $this->guard(function () use ($type, $id): array {
      $type = self::type($type);
      $row = $this->table->load($type, $id);
      if ($row === NULL) {
        throw self::notFound($type, $id);
      }
      return $this->stored($row);
    });
  }

  /**
   * {@inheritdoc}
   */
  public function create(string $type, array $resource): array {
    return $this->guard(function () use ($type, $resource): array {
      return self::type($type) === 'User'
        ? $this->createUser(self::strip($resource))
        : $this->createGroup(self::strip($resource));
    });
  }

  /**
   * {@inheritdoc}
   */
  public function replace(string $type, string $id, array $resource, ?int $expectedVersion): array {
    return $this->guard(function () use ($type, $id, $resource, $expectedVersion): array {
      return self::type($type) === 'User'
        ? $this->replaceUser($id, self::strip($resource), $expectedVersion)
        : $this->replaceGroup($id, self::strip($resource), $expectedVersion);
    });
  }

  /**
   * {@inheritdoc}
   */
  public function delete(string $type, string $id, ?int $expectedVersion): void {
    $this->guard(function () use ($type, $id, $expectedVersion): void {
      if (self::type($type) === 'User') {
        $this->deleteUser($id, $expectedVersion);
      }
      else {
        $this->deleteGroup($id, $expectedVersion);
      }
    });
  }

  /**
   * {@inheritdoc}
   *
   * Without a filter the answer is exact: the page in creation order. With
   * one, it is every candidate the filter's translation into conditions on
   * the indexed columns selects (see FilterTranslator), in creation order;
   * the extension's evaluator then filters, sorts and pages them, so that
   * what the translation cannot say exactly stays right.
   */
  public function query(string $type, array $query): array {
    return $this->guard(function () use ($type, $query): array {
      $type = self::type($type);
      $filter = $query['filter'] ?? NULL;
      if (!is_string($filter) || trim($filter) === '') {
        $start = max(1, (int) ($query['start_index'] ?? 1));
        $count = isset($query['count']) ? max(0, (int) $query['count']) : NULL;
        $rows = $count === 0 ? [] : $this->table->rows($type, $start - 1, $count);
        return [
          'total' => $this->table->count($type),
          'resources' => $this->storedRows($rows, !empty($query['memberships'] ?? TRUE)),
          'exact' => TRUE,
        ];
      }
      $rows = $this->table->rows($type, 0, NULL, $this->conditions($type, $filter));
      return [
        'total' => count($rows),
        'resources' => $this->storedRows($rows, TRUE),
        'exact' => FALSE,
      ];
    });
  }

  /**
   * Returns and forgets what the requests since the last call did.
   *
   * @return array
   *   - operation: what the log should call the request when it is more
   *     precise than the extension's name ("takeover", "deactivate"), or
   *     NULL.
   *   - notes: sentences for the log entry's detail.
   */
  public function takeReport(): array {
    $report = $this->report;
    $this->report = ['operation' => NULL, 'notes' => []];
    return $report;
  }

  /**
   * Tells whether the store is saving accounts right now.
   *
   * @return bool
   *   TRUE inside a store write.
   */
  public function isWriting(): bool {
    return $this->writing > 0;
  }

  /**
   * Follows a change made to a linked account outside SCIM.
   *
   * The stored document takes the account's mapped values, and the version
   * grows, so that entity tags change when an administrator edits the
   * account in Drupal.
   *
   * @param \Drupal\user\UserInterface $account
   *   The account that was saved.
   */
  public function accountChanged(UserInterface $account): void {
    if ($this->writing || !$this->table->exists()) {
      return;
    }
    $row = $this->table->loadByUid((int) $account->id());
    if ($row === NULL || $row->deleted) {
      return;
    }
    $document = $this->mapping()->overlay(self::decode($row->document), $this->mapping()->readAccount($account));
    try {
      $this->table->claim('User', $row->id, NULL, $this->now());
      $this->table->update($row->id, $this->columns('User', $document));
    }
    catch (\Throwable $e) {
      $this->logger->warning('The SCIM document of account @uid could not follow its change: @message', [
        '@uid' => $account->id(),
        '@message' => $e->getMessage(),
      ]);
    }
  }

  /**
   * Forgets the SCIM User of an account deleted outside SCIM.
   *
   * @param \Drupal\user\UserInterface $account
   *   The account that was deleted.
   */
  public function accountDeleted(UserInterface $account): void {
    if (!$this->writing && $this->table->exists()) {
      $this->table->forget((int) $account->id(), $this->now());
    }
  }

  /**
   * Creates a User: a new account, or an existing one taken over.
   *
   * @param array $document
   *   The validated User, without id and meta.
   *
   * @return array
   *   The stored User and its version.
   */
  protected function createUser(array $document): array {
    $policy = $this->policy();
    if (!$policy->allows('create')) {
      throw new ForbiddenException(ProvisioningPolicy::refusal('create'));
    }
    $fields = $this->mapping()->toAccount($document);
    $document = self::withoutPassword($document);
    $name = (string) ($document['userName'] ?? '');
    $now = $this->now();

    return $this->transaction(function () use ($policy, $fields, $document, $name, $now): array {
      // Claiming the name first makes the unique index decide between
      // parallel creates, and takes the write lock before any read.
      $id = $this->uuid->generate();
      $tombstone = NULL;
      try {
        $this->table->insert(['id' => $id, 'type' => 'User', 'uid' => NULL, 'created' => $now, 'changed' => $now] + $this->columns('User', $document));
      }
      catch (\Throwable $e) {
        if (!ResourceTable::isDuplicate($e)) {
          throw $e;
        }
        $tombstone = $this->table->loadByName('User', self::key($name));
        if ($tombstone === NULL) {
          throw $e;
        }
        if (!$tombstone->deleted) {
          throw self::taken('userName', $name);
        }
        $id = $tombstone->id;
      }

      $account = $tombstone !== NULL && $tombstone->uid ? $this->loadAccount((int) $tombstone->uid) : NULL;
      $matched = $account === NULL ? NULL : 'a SCIM user of the same name deleted before';
      $by_name = $this->accountByName($name);
      if ($by_name !== NULL && ($account === NULL || $by_name->id() !== $account->id())) {
        if ($account !== NULL || $policy->takeover() !== 'username' || !$this->isLinkable($by_name)) {
          throw self::taken('userName', $name);
        }
        [$account, $matched] = [$by_name, 'username'];
      }
      $mail = self::text($fields['mail'] ?? NULL);
      $by_mail = $mail === '' ? NULL : $this->accountByMail($mail);
      if ($by_mail !== NULL && ($account === NULL || $by_mail->id() !== $account->id())) {
        if ($account !== NULL || $policy->takeover() !== 'email' || !$this->isLinkable($by_mail)) {
          throw self::taken('emails', $mail);
        }
        [$account, $matched] = [$by_mail, 'email'];
      }

      $is_new = $account === NULL;
      if ($is_new) {
        $account = $this->userStorage()->create(['uuid' => $id, 'init' => $mail, 'status' => 1]);
      }
      else {
        $this->assertUnprotected($account);
        $id = $this->link($id, $account, $tombstone);
      }
      $this->mapping()->writeAccount($account, $fields);
      if (array_key_exists('status', $fields) && $fields['status'] !== NULL) {
        $account->set('status', (int) $fields['status']);
      }
      $password = $policy->syncsPassword() ? self::text($fields['pass'] ?? NULL) : '';
      if ($password !== '') {
        $account->setPassword($password);
      }
      elseif ($is_new) {
        $this->lockPassword($account);
      }
      $this->save($account, $document, $is_new ? ScimAccountEvent::CREATE : ScimAccountEvent::TAKEOVER);
      // What the request left out and the account holds (active, for one)
      // is part of the User from now on, until a request removes it.
      $document = $this->mapping()->overlay($document, $this->mapping()->readAccount($account));

      $columns = ['uid' => (int) $account->id(), 'deleted' => 0, 'changed' => $now] + $this->columns('User', $document);
      if ($tombstone !== NULL) {
        $columns += ['created' => $now, 'version' => (int) $tombstone->version + 1];
      }
      $this->table->update($id, $columns);

      if (!$is_new) {
        $this->report['operation'] = 'takeover';
        $this->note('took over the existing account "@name" (uid @uid), matched by @how', [
          '@name' => $account->getAccountName(),
          '@uid' => $account->id(),
          '@how' => $matched,
        ]);
        $this->logger->notice('SCIM took over the existing account @name (uid @uid), matched by @how.', [
          '@name' => $account->getAccountName(),
          '@uid' => $account->id(),
          '@how' => $matched,
        ]);
      }
      if ($is_new && $policy->sendsWelcomeEmail() && $account->isActive() && $account->getEmail()) {
        _user_mail_notify('register_admin_created', $account);
        $this->note('sent the welcome email');
      }
      return $this->stored($this->table->load('User', $id), TRUE, ['account' => $account]);
    });
  }

  /**
   * Replaces a User: its document, its account's mapped fields, its status.
   *
   * @param string $id
   *   The SCIM id.
   * @param array $after
   *   The validated User, without id and meta.
   * @param int|null $expected
   *   The version the caller read, or NULL.
   *
   * @return array
   *   The stored User and its version.
   */
  protected function replaceUser(string $id, array $after, ?int $expected): array {
    $policy = $this->policy();
    $now = $this->now();
    return $this->transaction(function () use ($policy, $id, $after, $expected, $now): array {
      $this->claim('User', $id, $expected, $now);
      $row = $this->table->load('User', $id);
      $account = $this->account($row);
      $before = self::strip($this->stored($row, FALSE, ['account' => $account])['resource']);
      $changes = $this->mapping()->changes($before, $after);
      $after = self::withoutPassword($after);

      $status = $changes['status'] ?? NULL;
      unset($changes['status']);
      $deactivate = $status !== NULL && !(int) $status;
      $reactivate = $status !== NULL && (int) $status === 1;
      $changed = $changes || self::withoutActive($after) != self::withoutActive(self::withoutPassword($before));
      if ($deactivate && !$policy->allows('deactivate')) {
        throw new ForbiddenException(ProvisioningPolicy::refusal('deactivate'));
      }
      if (($reactivate || $changed) && !$policy->allows('update')) {
        throw new ForbiddenException(ProvisioningPolicy::refusal('update'));
      }
      if ($account !== NULL && ($deactivate || $reactivate || $changed)) {
        $this->assertUnprotected($account);
      }

      $recreate = $account === NULL && $reactivate;
      $name = (string) ($after['userName'] ?? '');
      if ($recreate || self::key($name) !== self::key((string) ($before['userName'] ?? ''))) {
        $other = $this->accountByName($name);
        if ($other !== NULL && ($account === NULL || $other->id() !== $account->id())) {
          throw self::taken('userName', $name);
        }
      }
      $fields = $recreate ? $this->mapping()->toAccount($after) : $changes;
      $mail = self::text($fields['mail'] ?? NULL);
      if ($mail !== '') {
        $other = $this->accountByMail($mail);
        if ($other !== NULL && ($account === NULL || $other->id() !== $account->id())) {
          throw self::taken('emails', $mail);
        }
      }

      if ($recreate) {
        // The deprovisioning policy deleted the account when the user was
        // deactivated; activating the user again gives it a new account
        // under the same UUID.
        $account = $this->userStorage()->create(['uuid' => $id, 'init' => $mail, 'status' => 1]);
        $this->mapping()->writeAccount($account, $fields);
        $this->lockPassword($account);
        $this->save($account, $after, ScimAccountEvent::CREATE);
        $this->note('created a new account for the user activated again');
      }
      elseif ($account !== NULL && ($changes || $reactivate)) {
        $this->mapping()->writeAccount($account, $changes);
        $password = $policy->syncsPassword() ? self::text($changes['pass'] ?? NULL) : '';
        if ($password !== '') {
          $account->setPassword($password);
        }
        if ($reactivate) {
          $account->activate();
          $this->report['operation'] = 'reactivate';
        }
        $this->save($account, $after, $reactivate ? ScimAccountEvent::REACTIVATE : ScimAccountEvent::UPDATE);
      }

      $this->writeRow($id, ['uid' => $account === NULL ? NULL : (int) $account->id()] + $this->columns('User', $after), 'userName', $name);
      if ($deactivate && $account !== NULL) {
        $this->report['operation'] = 'deactivate';
        $method = $policy->cancelMethod('deactivate');
        if (ProvisioningPolicy::deletes($method)) {
          $this->table->update($id, ['uid' => NULL]);
        }
        $this->cancel($account, $method);
      }
      if ($recreate) {
        $this->syncRoles($id);
      }
      return $this->stored($this->table->load('User', $id));
    });
  }

  /**
   * Deletes a User and deprovisions its account by the DELETE policy.
   *
   * @param string $id
   *   The SCIM id.
   * @param int|null $expected
   *   The version the caller read, or NULL.
   */
  protected function deleteUser(string $id, ?int $expected): void {
    $policy = $this->policy();
    if (!$policy->allows('delete')) {
      throw new ForbiddenException(ProvisioningPolicy::refusal('delete'));
    }
    $now = $this->now();
    $this->transaction(function () use ($policy, $id, $expected, $now): void {
      $this->claim('User', $id, $expected, $now);
      $row = $this->table->load('User', $id);
      $account = $this->account($row);
      if ($account !== NULL) {
        $this->assertUnprotected($account);
      }
      $this->table->touch($this->table->removeMemberships($id), $now);
      if ($account === NULL) {
        $this->table->delete($id);
        return;
      }

      // Without groups, the account keeps no role the role map gave it.
      $this->applyRoles($account, [], self::decode($row->document));
      $method = $policy->cancelMethod('delete');
      if (ProvisioningPolicy::deletes($method)) {
        $this->table->delete($id);
      }
      else {
        // The blocked account stays SCIM's: the identity provider may create
        // the user again, and gets this account back.
        $this->table->update($id, ['deleted' => 1]);
      }
      $this->cancel($account, $method);
    });
  }

  /**
   * Creates a Group with its members, when the settings allow creating.
   *
   * @param array $document
   *   The validated Group, without id and meta.
   *
   * @return array
   *   The stored Group and its version.
   */
  protected function createGroup(array $document): array {
    if (!$this->policy()->allows('create')) {
      throw new ForbiddenException(ProvisioningPolicy::refusal('create', 'Group'));
    }
    $members = self::memberIds($document);
    unset($document['members']);
    $name = (string) ($document['displayName'] ?? '');
    $now = $this->now();
    return $this->transaction(function () use ($document, $members, $name, $now): array {
      $id = $this->uuid->generate();
      try {
        $this->table->insert(['id' => $id, 'type' => 'Group', 'uid' => NULL, 'created' => $now, 'changed' => $now] + $this->columns('Group', $document));
      }
      catch (\Throwable $e) {
        $taken = ResourceTable::isDuplicate($e) && $this->table->loadByName('Group', self::key($name)) !== NULL;
        throw $taken ? self::taken('displayName', $name) : $e;
      }
      $this->setMembers($id, $members, $now, FALSE);
      return $this->stored($this->table->load('Group', $id));
    });
  }

  /**
   * Replaces a Group and its members; a change needs the update permission.
   *
   * @param string $id
   *   The SCIM id.
   * @param array $document
   *   The validated Group, without id and meta.
   * @param int|null $expected
   *   The version the caller read, or NULL.
   *
   * @return array
   *   The stored Group and its version.
   */
  protected function replaceGroup(string $id, array $document, ?int $expected): array {
    $members = self::memberIds($document);
    unset($document['members']);
    $name = (string) ($document['displayName'] ?? '');
    $now = $this->now();
    return $this->transaction(function () use ($id, $document, $members, $name, $expected, $now): array {
      $this->claim('Group', $id, $expected, $now);
      $before = self::decode($this->table->load('Group', $id)->document);
      $current = array_column($this->table->members($id), 'id');
      $changed = $before != $document || array_diff($members, $current) || array_diff($current, $members);
      if ($changed && !$this->policy()->allows('update')) {
        throw new ForbiddenException(ProvisioningPolicy::refusal('update', 'Group'));
      }
      $this->writeRow($id, $this->columns('Group', $document), 'displayName', $name);
      $renamed = (string) ($before['displayName'] ?? '') !== $name;
      $this->setMembers($id, $members, $now, $renamed);
      return $this->stored($this->table->load('Group', $id));
    });
  }

  /**
   * Deletes a Group, when the settings allow deleting.
   *
   * Its members lose the roles it gave them.
   *
   * @param string $id
   *   The SCIM id.
   * @param int|null $expected
   *   The version the caller read, or NULL.
   */
  protected function deleteGroup(string $id, ?int $expected): void {
    if (!$this->policy()->allows('delete')) {
      throw new ForbiddenException(ProvisioningPolicy::refusal('delete', 'Group'));
    }
    $now = $this->now();
    $this->transaction(function () use ($id, $expected, $now): void {
      $this->claim('Group', $id, $expected, $now);
      $users = array_column(array_filter($this->table->members($id), static fn (array $m): bool => $m['type'] === 'User'), 'id');
      $this->table->delete($id);
      $this->table->touch($users, $now);
      foreach ($users as $user_id) {
        $this->syncRoles($user_id);
      }
    });
  }

  /**
   * Sets a group's members and lets the roles of affected accounts follow.
   *
   * @param string $group_id
   *   The SCIM id of the group.
   * @param string[] $members
   *   The ids of its members.
   * @param int $now
   *   The time of the change, in milliseconds.
   * @param bool $all
   *   Whether the roles of every member follow (the group was renamed, and
   *   the role map may name it), not only those of members who joined or
   *   left.
   *
   * @throws \Scim\InvalidValueException
   *   When a member names no User or Group.
   */
  protected function setMembers(string $group_id, array $members, int $now, bool $all): void {
    $types = $this->table->types($members);
    foreach ($members as $member) {
      if (!isset($types[$member])) {
        throw new InvalidValueException(sprintf('members: no User or Group has id "%s"', $member));
      }
    }
    $change = $this->table->setMembers($group_id, $members);
    $moved = array_merge($change['added'], $change['removed']);
    $moved_types = $this->table->types($moved);
    $users = array_keys(array_filter($moved_types, static fn (string $type): bool => $type === 'User'));
    $this->table->touch($users, $now);
    if ($all) {
      $users = array_merge($users, array_keys(array_filter($types, static fn (string $type): bool => $type === 'User')));
    }
    foreach (array_unique($users) as $user_id) {
      $this->syncRoles($user_id);
    }
  }

  /**
   * Gives a User's account the roles its groups grant under the role map.
   *
   * @param string $user_id
   *   The SCIM id of the User.
   */
  protected function syncRoles(string $user_id): void {
    $row = $this->table->load('User', $user_id);
    $account = $row === NULL ? NULL : $this->account($row);
    if ($account === NULL) {
      return;
    }
    $groups = [];
    foreach ($this->table->groupsOf([$user_id])[$user_id] as $group) {
      $display_name = (string) (self::decode($group['document'])['displayName'] ?? '');
      $groups[] = ['id' => $group['id'], 'displayName' => $display_name];
    }
    $this->applyRoles($account, $groups, self::decode($row->document));
  }

  /**
   * Grants and revokes roles so that an account holds what its groups grant.
   *
   * Only roles in the allow-list are touched, never a protected one, and
   * never on a protected account. A role that does not exist is created only
   * when the settings let SCIM create roles.
   *
   * @param \Drupal\user\UserInterface $account
   *   The account.
   * @param array[] $groups
   *   Its groups, each with id and displayName.
   * @param array $document
   *   Its SCIM User, for the events.
   */
  protected function applyRoles(UserInterface $account, array $groups, array $document): void {
    $policy = $this->policy();
    $changes = $this->mapping()->roleChanges($groups, $account->getRoles(TRUE));
    if (!$changes['add'] && !$changes['remove']) {
      return;
    }
    $why = $policy->protection((int) $account->id(), $account->getRoles());
    if ($why !== NULL) {
      $this->note('left the roles of "@name" alone: @why', ['@name' => $account->getAccountName(), '@why' => $why]);
      return;
    }
    $role_storage = $this->entityTypeManager->getStorage('user_role');
    $changed = FALSE;
    foreach ($changes['add'] as $role) {
      if (in_array($role, $policy->protectedRoles(), TRUE)) {
        continue;
      }
      if ($role_storage->load($role) === NULL) {
        if (!$policy->createsRoles()) {
          $this->note('did not grant role "@role": the site has no such role', ['@role' => $role]);
          continue;
        }
        $role_storage->create(['id' => $role, 'label' => $role])->save();
        $this->note('created role "@role"', ['@role' => $role]);
      }
      $account->addRole($role);
      $changed = TRUE;
    }
    foreach ($changes['remove'] as $role) {
      $account->removeRole($role);
      $changed = TRUE;
    }
    if ($changed) {
      $this->save($account, $document, ScimAccountEvent::ROLES, FALSE);
      $this->note('roles of "@name": @roles', [
        '@name' => $account->getAccountName(),
        '@roles' => implode(', ', array_merge(
          array_map(static fn (string $r): string => '+' . $r, $changes['add']),
          array_map(static fn (string $r): string => '-' . $r, $changes['remove']),
        )),
      ]);
    }
  }

  /**
   * Saves an account, with the events around it.
   *
   * @param \Drupal\user\UserInterface $account
   *   The account.
   * @param array $document
   *   The SCIM User it is saved from.
   * @param string $operation
   *   One of the ScimAccountEvent constants.
   * @param bool $validate
   *   Whether to validate the account first.
   *
   * @throws \Scim\Exception
   *   When the account is not valid: uniqueness for a name or email taken,
   *   invalidValue for anything else.
   */
  protected function save(UserInterface $account, array $document, string $operation, bool $validate = TRUE): void {
    // SCIM sets email and password without knowing the current password.
    $account->_skipProtectedUserFieldConstraint = TRUE;
    $this->dispatcher->dispatch(new ScimAccountEvent($account, $document, $operation), ScimAccountEvents::PRE_SAVE);
    $this->timing->start('entity');
    try {
      foreach ($validate ? $account->validate() : [] as $violation) {
        // An email address is optional for accounts an administrator
        // creates; SCIM Users need none either (RFC 7643 section 4.1.2).
        if ($violation->getConstraint() instanceof UserMailRequired) {
          continue;
        }
        $field = strtok((string) $violation->getPropertyPath(), '.');
        $message = rtrim(strip_tags((string) $violation->getMessage()), '.');
        if ($violation->getConstraint() instanceof UniqueFieldConstraint) {
          throw new UniquenessException(sprintf('account field "%s": %s', $field, $message));
        }
        throw new InvalidValueException(sprintf('account field "%s": %s', $field, $message));
      }
      $account->save();
    }
    finally {
      $this->timing->stop('entity');
    }
    $this->dispatcher->dispatch(new ScimAccountEvent($account, $document, $operation), ScimAccountEvents::POST_SAVE);
  }

  /**
   * Cancels an account by one of Drupal's cancellation methods.
   *
   * Runs user_cancel() and its batch at once, as core's JSON:API does, so
   * that modules' hook_user_cancel() implementations (unpublishing or
   * reassigning content) run as they do from the user interface.
   *
   * @param \Drupal\user\UserInterface $account
   *   The account.
   * @param string $method
   *   One of user_cancel_block, user_cancel_block_unpublish,
   *   user_cancel_reassign and user_cancel_delete.
   */
  protected function cancel(UserInterface $account, string $method): void {
    $this->timing->start('entity');
    try {
      user_cancel([], $account->id(), $method);
      $batch = &batch_get();
      $batch['progressive'] = FALSE;
      batch_process();
    }
    finally {
      $this->timing->stop('entity');
    }
    // Cancellation leaves status messages meant for a browser; a SCIM
    // response has no use for them, and they would start a session.
    $this->messenger->deleteAll();
    $this->userStorage()->resetCache([$account->id()]);
    $this->note('@method: account "@name" (uid @uid)', [
      '@method' => $method,
      '@name' => $account->getAccountName(),
      '@uid' => $account->id(),
    ]);
  }

  /**
   * Links a taken-over account to the row a create just claimed.
   *
   * @param string $id
   *   The id of the claimed row.
   * @param \Drupal\user\UserInterface $account
   *   The account.
   * @param object|null $tombstone
   *   The row of a User deleted before, when the create revives it.
   *
   * @return string
   *   The SCIM id: the account's UUID.
   */
  protected function link(string $id, UserInterface $account, ?object $tombstone): string {
    if ($tombstone !== NULL && $tombstone->uid && (int) $tombstone->uid === (int) $account->id()) {
      return $id;
    }
    $earlier = $this->table->loadByUid((int) $account->id());
    if ($earlier !== NULL) {
      $this->table->delete($earlier->id);
    }
    if ($tombstone !== NULL) {
      $this->table->delete($tombstone->id);
      $this->table->insert([
        'id' => $account->uuid(),
        'type' => 'User',
        'uid' => NULL,
        'created' => $this->now(),
        'changed' => $this->now(),
        'name_lc' => $tombstone->name_lc,
        'document' => $tombstone->document,
        'values' => FilterTranslator::indexedValues('User', self::decode($tombstone->document)),
      ]);
    }
    else {
      $this->table->update($id, ['id' => $account->uuid()]);
    }
    return $account->uuid();
  }

  /**
   * Writes a row's columns, turning a taken name into a SCIM error.
   *
   * @param string $id
   *   The SCIM id.
   * @param array $columns
   *   Column values.
   * @param string $attribute
   *   The unique attribute: userName or displayName.
   * @param string $name
   *   Its new value.
   */
  protected function writeRow(string $id, array $columns, string $attribute, string $name): void {
    try {
      $this->table->update($id, $columns);
    }
    catch (\Throwable $e) {
      throw ResourceTable::isDuplicate($e) ? self::taken($attribute, $name) : $e;
    }
  }

  /**
   * Compares and bumps a resource's version, or says why it cannot.
   *
   * @param string $type
   *   User or Group.
   * @param string $id
   *   The SCIM id.
   * @param int|null $expected
   *   The version the caller read, or NULL for any.
   * @param int $now
   *   The time of the change, in milliseconds.
   *
   * @throws \Scim\NotFoundException
   * @throws \Scim\PreconditionFailedException
   */
  protected function claim(string $type, string $id, ?int $expected, int $now): void {
    if ($this->table->claim($type, $id, $expected, $now)) {
      return;
    }
    $version = $this->table->version($type, $id);
    if ($version === NULL) {
      throw self::notFound($type, $id);
    }
    throw new PreconditionFailedException(sprintf('%s "%s" is at version %d, not %d', $type, $id, $version, $expected));
  }

  /**
   * Builds the resource a row holds, with what the store owns filled in.
   *
   * @param object $row
   *   The row.
   * @param bool $memberships
   *   Whether to fill in members (Group) or groups (User).
   * @param array $known
   *   What the caller already loaded: "account" (a User's account, or NULL
   *   for none) and "groups" (a User's groups, from groupsOf()).
   *
   * @return array
   *   - resource: the resource with id and meta.
   *   - version: its version.
   */
  protected function stored(object $row, bool $memberships = TRUE, array $known = []): array {
    $document = self::decode($row->document);
    if ($row->type === 'User') {
      $account = array_key_exists('account', $known) ? $known['account'] : $this->account($row);
      if ($account !== NULL) {
        $document = $this->mapping()->overlay($document, $this->mapping()->shownFields($document, $this->mapping()->readAccount($account)));
      }
      $groups = $memberships ? ($known['groups'] ?? $this->table->groupsOf([$row->id])[$row->id]) : [];
      if ($groups) {
        $document['groups'] = array_map(static function (array $group): array {
          $display = self::decode($group['document'])['displayName'] ?? NULL;
          return ['value' => $group['id']] + (is_string($display) ? ['display' => $display] : []) + ['type' => 'direct'];
        }, $groups);
      }
    }
    elseif ($memberships) {
      $members = $this->table->members($row->id);
      if ($members) {
        $document['members'] = array_map(static function (array $member): array {
          $display = self::decode($member['document'])['displayName'] ?? NULL;
          return ['value' => $member['id']] + (is_string($display) ? ['display' => $display] : []) + ['type' => $member['type']];
        }, $members);
      }
    }
    $resource = [
      'schemas' => $document['schemas'] ?? [self::CORE_URNS[$row->type]],
      'id' => $row->id,
    ] + $document;
    $resource['meta'] = [
      'resourceType' => $row->type,
      'created' => self::instant((int) $row->created),
      'lastModified' => self::instant((int) $row->changed),
    ];
    return ['resource' => $resource, 'version' => (int) $row->version];
  }

  /**
   * Builds the resources of many rows, loading accounts and groups at once.
   *
   * @param object[] $rows
   *   Rows of one type.
   * @param bool $memberships
   *   Whether to fill in members or groups.
   *
   * @return array[]
   *   The stored resources, in the order of the rows.
   */
  protected function storedRows(array $rows, bool $memberships): array {
    $uids = [];
    $ids = [];
    foreach ($rows as $row) {
      if ($row->type === 'User') {
        $ids[] = $row->id;
        if ($row->uid) {
          $uids[] = (int) $row->uid;
        }
      }
    }
    $this->timing->start('entity');
    $accounts = $uids ? $this->userStorage()->loadMultiple($uids) : [];
    $this->timing->stop('entity');
    $groups = $memberships ? $this->table->groupsOf($ids) : [];
    $stored = [];
    foreach ($rows as $row) {
      $known = $row->type === 'User' ? ['account' => $accounts[$row->uid] ?? NULL, 'groups' => $groups[$row->id] ?? []] : [];
      $stored[] = $this->stored($row, $memberships, $known);
    }
    return $stored;
  }

  /**
   * Translates a filter into conditions that every match meets.
   *
   * @param string $type
   *   User or Group.
   * @param string $filter
   *   The SCIM filter, already validated by the extension.
   *
   * @return \Drupal\Core\Database\Query\ConditionInterface|null
   *   Conditions on the resource table, or NULL when nothing narrows.
   */
  protected function conditions(string $type, string $filter): ?ConditionInterface {
    try {
      return $this->translator->translate($type, Filter::parse($filter)->toArray());
    }
    catch (Exception $e) {
      return NULL;
    }
  }

  /**
   * Returns the indexed columns of a document.
   *
   * @param string $type
   *   User or Group.
   * @param array $document
   *   The resource without id and meta.
   *
   * @return array
   *   name_lc, external_id, document and the indexed values.
   */
  protected function columns(string $type, array $document): array {
    unset($document['members'], $document['groups'], $document['password']);
    $external_id = $document['externalId'] ?? NULL;
    return [
      'name_lc' => self::key((string) ($document[$type === 'User' ? 'userName' : 'displayName'] ?? '')),
      'external_id' => is_string($external_id) && mb_strlen($external_id) <= 255 ? $external_id : NULL,
      'document' => json_encode($document, self::JSON_FLAGS),
      'values' => FilterTranslator::indexedValues($type, $document),
    ];
  }

  /**
   * Runs writes in one transaction, rolled back when they throw.
   *
   * @param callable $work
   *   The writes.
   *
   * @return mixed
   *   What $work returns.
   */
  protected function transaction(callable $work) {
    $this->writing++;
    $transaction = $this->database->startTransaction();
    try {
      $result = $work();
    }
    catch (\Throwable $e) {
      $transaction->rollBack();
      $this->userStorage()->resetCache();
      throw $e;
    }
    finally {
      $this->writing--;
    }
    // Leaving the scope of the transaction commits it.
    unset($transaction);
    return $result;
  }

  /**
   * Runs a store method; failures that are not SCIM errors go to the log.
   *
   * The extension answers such failures with a generic 500 and keeps their
   * message for the provisioning log only; the site log gets the trace.
   *
   * @param callable $work
   *   The method's body.
   *
   * @return mixed
   *   What $work returns.
   */
  protected function guard(callable $work) {
    $this->timing->start('store');
    try {
      return $work();
    }
    catch (Exception $e) {
      throw $e;
    }
    catch (\Throwable $e) {
      Error::logException($this->logger, $e);
      throw $e;
    }
    finally {
      $this->timing->stop('store');
    }
  }

  /**
   * Refuses to touch an account behind the privilege firewall.
   *
   * @param \Drupal\user\UserInterface $account
   *   The account.
   *
   * @throws \Scim\ForbiddenException
   *   When it is user 1 or holds a protected role.
   */
  protected function assertUnprotected(UserInterface $account): void {
    $why = $this->policy()->protection((int) $account->id(), $account->getRoles());
    if ($why !== NULL) {
      throw new ForbiddenException(sprintf('account "%s" is protected from SCIM: %s', $account->getAccountName(), $why));
    }
  }

  /**
   * Tells whether an account may be linked to a new SCIM User.
   *
   * @param \Drupal\user\UserInterface $account
   *   The account.
   *
   * @return bool
   *   FALSE when a live SCIM User has it already.
   */
  protected function isLinkable(UserInterface $account): bool {
    $row = $this->table->loadByUid((int) $account->id());
    return $row === NULL || (bool) $row->deleted;
  }

  /**
   * Loads the account of a User row.
   *
   * @param object $row
   *   The row.
   *
   * @return \Drupal\user\UserInterface|null
   *   The account, or NULL when it has none.
   */
  protected function account(object $row): ?UserInterface {
    return $row->uid ? $this->loadAccount((int) $row->uid) : NULL;
  }

  /**
   * Loads an account.
   *
   * @param int $uid
   *   The user ID.
   *
   * @return \Drupal\user\UserInterface|null
   *   The account, or NULL.
   */
  protected function loadAccount(int $uid): ?UserInterface {
    $this->timing->start('entity');
    $account = $this->userStorage()->load($uid);
    $this->timing->stop('entity');
    return $account instanceof UserInterface ? $account : NULL;
  }

  /**
   * Finds an account by name, without regard to case.
   *
   * @param string $name
   *   The name.
   *
   * @return \Drupal\user\UserInterface|null
   *   The account, or NULL.
   */
  protected function accountByName(string $name): ?UserInterface {
    return $name === '' ? NULL : $this->accountBy('name', $name);
  }

  /**
   * Finds an account by email address, without regard to case.
   *
   * @param string $mail
   *   The address.
   *
   * @return \Drupal\user\UserInterface|null
   *   The account, or NULL.
   */
  protected function accountByMail(string $mail): ?UserInterface {
    return $this->accountBy('mail', $mail);
  }

  /**
   * Finds an account by a field value, without regard to case.
   *
   * @param string $field
   *   The field: name or mail.
   * @param string $value
   *   The value.
   *
   * @return \Drupal\user\UserInterface|null
   *   The account, or NULL.
   */
  protected function accountBy(string $field, string $value): ?UserInterface {
    // LIKE without wildcards compares without regard to case on every
    // database; an equal sign does not on SQLite for email addresses.
    $this->timing->start('entity');
    $ids = $this->userStorage()->getQuery()
      ->accessCheck(FALSE)
      ->condition($field, $this->database->escapeLike($value), 'LIKE')
      ->condition('uid', 0, '<>')
      ->range(0, 1)
      ->execute();
    $this->timing->stop('entity');
    return $ids ? $this->loadAccount((int) reset($ids)) : NULL;
  }

  /**
   * Returns the user storage.
   *
   * @return \Drupal\user\UserStorageInterface
   *   The storage.
   */
  protected function userStorage() {
    return $this->entityTypeManager->getStorage('user');
  }

  /**
   * Returns the mapping of the current settings.
   *
   * @return \Drupal\scim_provisioning\Store\AccountMapping
   *   The mapping.
   */
  protected function mapping(): AccountMapping {
    $config = (array) ($this->settings()['mapping'] ?? []);
    $key = serialize($config);
    if ($this->mapping === NULL || $this->mappingKey !== $key) {
      $this->mapping = new AccountMapping($config);
      $this->mappingKey = $key;
    }
    return $this->mapping;
  }

  /**
   * Returns the policy of the current settings.
   *
   * @return \Drupal\scim_provisioning\Store\ProvisioningPolicy
   *   The policy.
   */
  protected function policy(): ProvisioningPolicy {
    return new ProvisioningPolicy($this->settings());
  }

  /**
   * Returns the module's settings.
   *
   * @return array
   *   The scim_provisioning.settings configuration.
   */
  protected function settings(): array {
    return (array) $this->configFactory->get('scim_provisioning.settings')->get();
  }

  /**
   * Adds a sentence to the report of the current request.
   *
   * @param string $message
   *   The sentence, with placeholders.
   * @param array $arguments
   *   Placeholder values.
   */
  protected function note(string $message, array $arguments = []): void {
    $this->report['notes'][] = strtr($message, array_map('strval', $arguments));
  }

  /**
   * Returns the current time in milliseconds.
   *
   * @return int
   *   Milliseconds since the Unix epoch.
   */
  protected function now(): int {
    return (int) floor($this->time->getCurrentMicroTime() * 1000);
  }

  /**
   * Checks a resource type name.
   *
   * @param string $type
   *   The name the extension passed.
   *
   * @return string
   *   User or Group.
   */
  protected static function type(string $type): string {
    if (strcasecmp($type, 'User') === 0) {
      return 'User';
    }
    if (strcasecmp($type, 'Group') === 0) {
      return 'Group';
    }
    throw new InternalException(sprintf('the store keeps no resource type "%s"', $type));
  }

  /**
   * Removes from a resource what the store owns.
   *
   * @param array $resource
   *   A resource.
   *
   * @return array
   *   It without id, meta and, for a User, groups.
   */
  protected static function strip(array $resource): array {
    unset($resource['id'], $resource['meta'], $resource['groups']);
    return $resource;
  }

  /**
   * Gives an account a password that nothing can match, without hashing one.
   *
   * The stored value is not the hash of anything, in any algorithm Drupal
   * knows, so no password verifies against it: the user signs in through
   * single sign-on, or sets a password through "Reset your password". A
   * random password hashed instead cost the hashing's deliberate slowness
   * (tens of milliseconds of CPU) on every create, inside its transaction.
   * The leading "!" is the Unix convention for a locked password; the random
   * rest keeps no two accounts alike.
   *
   * @param \Drupal\user\UserInterface $account
   *   The account.
   */
  protected function lockPassword(UserInterface $account): void {
    $password = $account->get('pass');
    $password->value = '!' . $this->passwordGenerator->generate(32);
    $password->pre_hashed = TRUE;
  }

  /**
   * Removes the password from a User: it is never stored as SCIM data.
   *
   * @param array $resource
   *   A User.
   *
   * @return array
   *   It without password.
   */
  protected static function withoutPassword(array $resource): array {
    unset($resource['password']);
    return $resource;
  }

  /**
   * Removes active from a User, to compare the rest.
   *
   * @param array $resource
   *   A User.
   *
   * @return array
   *   It without active.
   */
  protected static function withoutActive(array $resource): array {
    unset($resource['active']);
    return $resource;
  }

  /**
   * Lists the member ids of a Group.
   *
   * @param array $document
   *   A Group.
   *
   * @return string[]
   *   The distinct members[].value ids.
   */
  protected static function memberIds(array $document): array {
    $ids = [];
    foreach ((array) ($document['members'] ?? []) as $member) {
      if (is_array($member) && is_string($member['value'] ?? NULL)) {
        $ids[$member['value']] = TRUE;
      }
    }
    return array_map('strval', array_keys($ids));
  }

  /**
   * Returns the unique key of a userName or displayName.
   *
   * @param string $name
   *   The name.
   *
   * @return string
   *   It lowercased.
   *
   * @throws \Scim\InvalidValueException
   *   When it is too long for the index.
   */
  protected static function key(string $name): string {
    if (mb_strlen($name) > ResourceTable::MAX_NAME_LENGTH) {
      throw new InvalidValueException(sprintf('"%s..." is longer than %d characters, the most this site keeps', mb_substr($name, 0, 20), ResourceTable::MAX_NAME_LENGTH));
    }
    return mb_strtolower($name);
  }

  /**
   * Returns a scalar as text.
   *
   * @param mixed $value
   *   A value.
   *
   * @return string
   *   The text, or '' for anything else.
   */
  protected static function text($value): string {
    return is_scalar($value) ? (string) $value : '';
  }

  /**
   * Decodes a stored document.
   *
   * @param string $json
   *   The JSON text.
   *
   * @return array
   *   The document.
   */
  protected static function decode(string $json): array {
    $document = json_decode($json, TRUE, 512, JSON_THROW_ON_ERROR);
    return is_array($document) ? $document : [];
  }

  /**
   * Formats milliseconds as an RFC 3339 instant in UTC.
   *
   * @param int $millis
   *   Milliseconds since the Unix epoch.
   *
   * @return string
   *   For example 2024-05-01T12:00:00.000Z.
   */
  protected static function instant(int $millis): string {
    return gmdate('Y-m-d\TH:i:s', intdiv($millis, 1000)) . sprintf('.%03dZ', $millis % 1000);
  }

  /**
   * Builds the not-found error of the store contract.
   *
   * @param string $type
   *   User or Group.
   * @param string $id
   *   The SCIM id.
   *
   * @return \Scim\NotFoundException
   *   The error.
   */
  protected static function notFound(string $type, string $id): NotFoundException {
    return new NotFoundException(sprintf('%s "%s" not found', $type, $id));
  }

  /**
   * Builds the uniqueness error of the store contract.
   *
   * @param string $attribute
   *   userName, displayName or emails.
   * @param string $value
   *   The value as given.
   *
   * @return \Scim\UniquenessException
   *   The error.
   */
  protected static function taken(string $attribute, string $value): UniquenessException {
    return new UniquenessException(sprintf('%s "%s" is already in use', $attribute, $value));
  }

}
