<?php

namespace Drupal\scim_provisioning\Form;

use Drupal\Core\Config\ConfigFactoryInterface;
use Drupal\Core\Config\TypedConfigManagerInterface;
use Drupal\Core\Datetime\DateFormatterInterface;
use Drupal\Core\Entity\EntityTypeManagerInterface;
use Drupal\Core\Form\ConfigFormBase;
use Drupal\Core\Form\FormStateInterface;
use Drupal\Core\Url;
use Drupal\scim_provisioning\ScimTokenRepository;
use Drupal\scim_provisioning\Settings\SettingsValidator;
use Symfony\Component\DependencyInjection\ContainerInterface;

/**
 * Configures SCIM provisioning: endpoint, tokens, policy, mapping and roles.
 */
class SettingsForm extends ConfigFormBase {

  /**
   * The configuration this form edits.
   */
  public const CONFIG_NAME = 'scim_provisioning.settings';

  /**
   * How many empty rows the rule and role map tables offer.
   */
  public const EMPTY_ROWS = 2;

  /**
   * The token repository.
   *
   * @var \Drupal\scim_provisioning\ScimTokenRepository
   */
  protected ScimTokenRepository $tokens;

  /**
   * The entity type manager.
   *
   * @var \Drupal\Core\Entity\EntityTypeManagerInterface
   */
  protected EntityTypeManagerInterface $entityTypeManager;

  /**
   * The date formatter.
   *
   * @var \Drupal\Core\Datetime\DateFormatterInterface
   */
  protected DateFormatterInterface $dateFormatter;

  /**
   * Constructs the settings form.
   *
   * @param \Drupal\Core\Config\ConfigFactoryInterface $config_factory
   *   The config factory.
   * @param \Drupal\Core\Config\TypedConfigManagerInterface $typed_config_manager
   *   The typed config manager.
   * @param \Drupal\scim_provisioning\ScimTokenRepository $tokens
   *   The token repository.
   * @param \Drupal\Core\Entity\EntityTypeManagerInterface $entity_type_manager
   *   The entity type manager.
   * @param \Drupal\Core\Datetime\DateFormatterInterface $date_formatter
   *   The date formatter.
   */
  public function __construct(ConfigFactoryInterface $config_factory, TypedConfigManagerInterface $typed_config_manager, ScimTokenRepository $tokens, EntityTypeManagerInterface $entity_type_manager, DateFormatterInterface $date_formatter) {
    parent::__construct($config_factory, $typed_config_manager);
    $this->tokens = $tokens;
    $this->entityTypeManager = $entity_type_manager;
    $this->dateFormatter = $date_formatter;
  }

  /**
   * {@inheritdoc}
   */
  public static function create(ContainerInterface $container) {
    return new static(
      $container->get('config.factory'),
      $container->get('config.typed'),
      $container->get('scim_provisioning.token_repository'),
      $container->get('entity_type.manager'),
      $container->get('date.formatter')
    );
  }

  /**
   * {@inheritdoc}
   */
  public function getFormId() {
    return 'scim_provisioning_settings';
  }

  /**
   * {@inheritdoc}
   */
  protected function getEditableConfigNames() {
    return [self::CONFIG_NAME];
  }

  /**
   * {@inheritdoc}
   */
  public function buildForm(array $form, FormStateInterface $form_state) {
    $config = $this->config(self::CONFIG_NAME);
    $roles = $this->roleOptions();

    $form['server'] = [
      '#type' => 'details',
      '#title' => $this->t('Drupal as SCIM server'),
      '#open' => TRUE,
    ];
    $form['server']['base_url'] = [
      '#type' => 'textfield',
      '#title' => $this->t('SCIM Base URL'),
      '#value' => Url::fromRoute('scim_provisioning.scim.root', [], ['absolute' => TRUE])->toString(),
      '#attributes' => ['readonly' => 'readonly'],
      '#description' => $this->t('Paste this into the identity provider, with a bearer token from below. Identity providers call it the SCIM Base URL, Tenant URL or SCIM connector base URL.'),
    ];
    $new_token = $form_state->get('scim_new_token');
    if (is_array($new_token)) {
      $form['server']['new_token'] = [
        '#type' => 'textfield',
        '#title' => $this->t('SCIM Bearer Token for %label', ['%label' => $new_token['label']]),
        '#value' => $new_token['token'],
        '#attributes' => ['readonly' => 'readonly', 'autocomplete' => 'off'],
        '#description' => $this->t('Copy this token into the identity provider now. Only its digest is stored: it cannot be shown again.'),
        '#wrapper_attributes' => ['class' => ['messages', 'messages--warning']],
      ];
    }
    $form['server']['tokens'] = $this->tokenTable();
    $form['server']['new_token_label'] = [
      '#type' => 'textfield',
      '#title' => $this->t('New token label'),
      '#maxlength' => ScimTokenRepository::MAX_LABEL_LENGTH,
      '#description' => $this->t("Who will hold the token, for example the identity provider's name. Use one token per identity provider; to rotate a token, generate a new one, switch the identity provider over, then revoke the old one."),
    ];
    $form['server']['generate'] = [
      '#type' => 'submit',
      '#value' => $this->t('Generate token'),
      '#submit' => ['::generateToken'],
      '#validate' => ['::validateNewToken'],
      '#limit_validation_errors' => [['new_token_label']],
    ];
    $form['server']['public_discovery'] = [
      '#type' => 'checkbox',
      '#title' => $this->t('Answer discovery requests without a token'),
      '#description' => $this->t('ServiceProviderConfig, Schemas and ResourceTypes (RFC 7644 section 4) then answer GET requests that carry no token. Other endpoints always require one.'),
      '#default_value' => $config->get('public_discovery'),
    ];

    $form['policy'] = [
      '#type' => 'details',
      '#title' => $this->t('What identity providers may do'),
      '#open' => TRUE,
    ];
    $operations = (array) $config->get('operations');
    $form['policy']['operations'] = [
      '#type' => 'checkboxes',
      '#title' => $this->t('Allowed operations'),
      '#options' => [
        'create' => $this->t('Create accounts'),
        'update' => $this->t('Update accounts'),
        'deactivate' => $this->t('Deactivate accounts (active set to false)'),
        'delete' => $this->t('Delete accounts'),
      ],
      '#default_value' => array_keys(array_filter($operations)),
      '#description' => $this->t('Create, update and delete apply to groups too. Requests for an operation that is not allowed are refused and logged.'),
    ];
    $form['policy']['deprovision'] = [
      '#type' => 'container',
      '#tree' => TRUE,
    ];
    $cancel_methods = $this->cancelMethodOptions();
    $form['policy']['deprovision']['deactivate'] = [
      '#type' => 'select',
      '#title' => $this->t('When an account is deactivated (active set to false)'),
      '#options' => $cancel_methods,
      '#default_value' => $config->get('deprovision.deactivate'),
    ];
    $form['policy']['deprovision']['delete'] = [
      '#type' => 'select',
      '#title' => $this->t('When an account is deleted (DELETE)'),
      '#options' => $cancel_methods,
      '#default_value' => $config->get('deprovision.delete'),
    ];
    $form['policy']['takeover'] = [
      '#type' => 'radios',
      '#title' => $this->t('Accounts that existed before SCIM'),
      '#options' => [
        'none' => $this->t('Never take them over: a SCIM user whose name or email is taken is refused'),
        'username' => $this->t('Take over the account with the same username'),
        'email' => $this->t('Take over the account with the same email address'),
      ],
      '#default_value' => $config->get('takeover'),
      '#description' => $this->t('Every take-over is written to the provisioning log.'),
    ];
    $form['policy']['protected_roles'] = [
      '#type' => 'checkboxes',
      '#title' => $this->t('Protected roles'),
      '#options' => $roles,
      '#default_value' => (array) $config->get('protected_roles'),
      '#description' => $this->t('SCIM never changes, deactivates or deletes an account holding one of these roles, nor user 1.'),
    ];
    $form['policy']['protected_roles_absent'] = $this->protectedRolesNote($config->get('protected_roles'), $roles);
    $form['policy']['welcome_email'] = [
      '#type' => 'checkbox',
      '#title' => $this->t('Send the welcome email to accounts SCIM creates'),
      '#default_value' => $config->get('welcome_email'),
    ];
    $form['policy']['sync_password'] = [
      '#type' => 'checkbox',
      '#title' => $this->t('Use the password the identity provider sends as the Drupal password'),
      '#default_value' => $config->get('mapping.sync_password'),
      '#description' => $this->t('Off by default: Okta, for one, sends a placeholder password when it creates a user.'),
    ];

    $form['roles'] = [
      '#type' => 'details',
      '#title' => $this->t('Groups and roles'),
      '#open' => TRUE,
    ];
    $form['roles']['allowed_roles'] = [
      '#type' => 'checkboxes',
      '#title' => $this->t('Roles SCIM may grant or revoke'),
      '#options' => $roles,
      '#default_value' => (array) $config->get('mapping.allowed_roles'),
      '#description' => $this->t('SCIM never grants a role outside this list. Protected roles cannot be chosen.'),
    ];
    $form['roles']['create_roles'] = [
      '#type' => 'checkbox',
      '#title' => $this->t('Let SCIM groups create roles'),
      '#default_value' => $config->get('create_roles'),
    ];
    $form['roles']['role_map'] = $this->roleMapTable((array) $config->get('mapping.role_map'), $roles);

    $form['mapping'] = [
      '#type' => 'details',
      '#title' => $this->t('Attribute mapping'),
      '#open' => FALSE,
    ];
    $form['mapping']['rules'] = $this->rulesTable((array) $config->get('mapping.rules'));

    $form['log'] = [
      '#type' => 'details',
      '#title' => $this->t('Provisioning log'),
      '#open' => FALSE,
    ];
    $form['log']['log_retention_days'] = [
      '#type' => 'number',
      '#title' => $this->t('Keep log entries for'),
      '#field_suffix' => $this->t('days'),
      '#min' => SettingsValidator::RETENTION_DAYS[0],
      '#max' => SettingsValidator::RETENTION_DAYS[1],
      '#default_value' => $config->get('log_retention_days'),
      '#description' => $this->t('Older entries are deleted by cron. <a href=":url">Read the log</a>.', [
        ':url' => Url::fromRoute('scim_provisioning.log')->toString(),
      ]),
    ];

    return parent::buildForm($form, $form_state);
  }

  /**
   * Builds the table of accepted tokens with their revoke buttons.
   *
   * @return array
   *   A table render element.
   */
  protected function tokenTable(): array {
    $table = [
      '#type' => 'table',
      '#caption' => $this->t('SCIM Bearer Tokens'),
      '#header' => [
        $this->t('Label'),
        $this->t('Created'),
        $this->t('Last used'),
        $this->t('Stored in'),
        $this->t('Operations'),
      ],
      '#empty' => $this->t('No token yet: generate one below.'),
    ];
    foreach ($this->tokens->listTokens() as $i => $token) {
      $from_settings = $token['source'] === 'settings';
      $table[$i]['label'] = ['#plain_text' => $token['label']];
      $table[$i]['created'] = ['#plain_text' => $token['created'] ? $this->dateFormatter->format($token['created'], 'short') : '-'];
      if ($from_settings) {
        $last_used = $this->t('Not tracked');
      }
      else {
        $last_used = $token['last_used'] ? $this->dateFormatter->format($token['last_used'], 'short') : $this->t('Never');
      }
      $table[$i]['last_used'] = ['#plain_text' => (string) $last_used];
      $table[$i]['source'] = ['#plain_text' => (string) ($from_settings ? $this->t('settings.php') : $this->t('Database'))];
      if ($from_settings) {
        $table[$i]['revoke'] = ['#plain_text' => (string) $this->t('Remove it from settings.php')];
      }
      else {
        $table[$i]['revoke'] = [
          '#type' => 'submit',
          '#value' => $this->t('Revoke'),
          '#name' => 'revoke_' . $token['id'],
          '#scim_token_id' => $token['id'],
          '#scim_token_label' => $token['label'],
          '#submit' => ['::revokeToken'],
          '#validate' => [],
          '#limit_validation_errors' => [],
          '#button_type' => 'danger',
        ];
      }
    }
    return $table;
  }

  /**
   * Builds the group to role table.
   *
   * @param array $role_map
   *   The configured entries.
   * @param array $roles
   *   Role machine names to labels.
   *
   * @return array
   *   A table render element.
   */
  protected function roleMapTable(array $role_map, array $roles): array {
    $table = [
      '#type' => 'table',
      '#caption' => $this->t('Groups that grant roles'),
      '#header' => [$this->t('SCIM group (display name)'), $this->t('Drupal role')],
    ];
    $rows = array_values($role_map);
    for ($i = 0; $i < count($rows) + self::EMPTY_ROWS; $i++) {
      $table[$i]['group'] = [
        '#type' => 'textfield',
        '#title' => $this->t('Group'),
        '#title_display' => 'invisible',
        '#default_value' => $rows[$i]['group'] ?? '',
        '#size' => 30,
      ];
      $table[$i]['role'] = [
        '#type' => 'select',
        '#title' => $this->t('Role'),
        '#title_display' => 'invisible',
        '#options' => $roles,
        '#empty_option' => $this->t('- None -'),
        '#default_value' => $rows[$i]['role'] ?? '',
      ];
    }
    return $table;
  }

  /**
   * Builds the attribute mapping rules table.
   *
   * @param array $rules
   *   The configured rules.
   *
   * @return array
   *   A table render element.
   */
  protected function rulesTable(array $rules): array {
    $table = [
      '#type' => 'table',
      '#caption' => $this->t('Each rule copies a SCIM attribute to a field of the Drupal account. Rows with an empty SCIM attribute and field are removed on save.'),
      '#header' => [
        $this->t('SCIM attribute'),
        $this->t('Drupal field'),
        $this->t('Conversion'),
        $this->t('When absent'),
      ],
    ];
    $rows = array_values($rules);
    for ($i = 0; $i < count($rows) + self::EMPTY_ROWS; $i++) {
      $table[$i]['scim'] = [
        '#type' => 'textfield',
        '#title' => $this->t('SCIM attribute'),
        '#title_display' => 'invisible',
        '#default_value' => $rows[$i]['scim'] ?? '',
        '#size' => 30,
      ];
      $table[$i]['field'] = [
        '#type' => 'textfield',
        '#title' => $this->t('Drupal field'),
        '#title_display' => 'invisible',
        '#default_value' => $rows[$i]['field'] ?? '',
        '#size' => 20,
      ];
      $table[$i]['convert'] = [
        '#type' => 'select',
        '#title' => $this->t('Conversion'),
        '#title_display' => 'invisible',
        '#options' => [
          'none' => $this->t('None'),
          'boolean_to_integer' => $this->t('Boolean to 0 or 1'),
        ],
        '#default_value' => $rows[$i]['convert'] ?? 'none',
      ];
      $table[$i]['absent'] = [
        '#type' => 'select',
        '#title' => $this->t('When absent'),
        '#title_display' => 'invisible',
        '#options' => [
          'clear' => $this->t('Empty the field'),
          'keep' => $this->t('Keep the field'),
        ],
        '#default_value' => $rows[$i]['absent'] ?? 'clear',
      ];
    }
    return $table;
  }

  /**
   * Lists the roles SCIM could manage or protect.
   *
   * @return array
   *   Role machine names to labels, without anonymous and authenticated.
   */
  protected function roleOptions(): array {
    $options = [];
    foreach ($this->entityTypeManager->getStorage('user_role')->loadMultiple() as $id => $role) {
      if (!in_array($id, SettingsValidator::LOCKED_ROLES, TRUE)) {
        $options[$id] = $role->label();
      }
    }
    return $options;
  }

  /**
   * Names the protected roles that the site does not have yet.
   *
   * @param mixed $protected
   *   The configured protected roles.
   * @param array $roles
   *   The roles offered, machine names to labels.
   *
   * @return array
   *   A render element with the note; empty when every protected role
   *   exists.
   */
  protected function protectedRolesNote($protected, array $roles): array {
    $absent = array_diff((array) $protected, array_keys($roles));
    if (!$absent) {
      return [];
    }
    return [
      '#type' => 'item',
      '#markup' => $this->t('Also protected, though the site has no such role yet: %roles.', ['%roles' => implode(', ', $absent)]),
    ];
  }

  /**
   * Lists Drupal's account cancellation methods.
   *
   * @return array
   *   Method names to labels.
   */
  protected function cancelMethodOptions(): array {
    return [
      'user_cancel_block' => $this->t('Disable the account and keep its content'),
      'user_cancel_block_unpublish' => $this->t('Disable the account and unpublish its content'),
      'user_cancel_reassign' => $this->t('Delete the account and make its content belong to Anonymous'),
      'user_cancel_delete' => $this->t('Delete the account and its content'),
    ];
  }

  /**
   * Collects the settings from the submitted values.
   *
   * @param \Drupal\Core\Form\FormStateInterface $form_state
   *   The form state.
   *
   * @return array
   *   An array with the settings, shaped as scim_provisioning.settings, and
   *   for each of "rules" and "role_map" the table row each kept entry came
   *   from.
   */
  protected function collect(FormStateInterface $form_state): array {
    $operations = [];
    foreach (SettingsValidator::OPERATIONS as $operation) {
      $operations[$operation] = !empty($form_state->getValue(['operations', $operation]));
    }

    $rules = [];
    $rule_rows = [];
    foreach ((array) $form_state->getValue('rules', []) as $row => $rule) {
      $scim = trim((string) ($rule['scim'] ?? ''));
      $field = trim((string) ($rule['field'] ?? ''));
      if ($scim === '' && $field === '') {
        continue;
      }
      $rule_rows[] = $row;
      $rules[] = [
        'scim' => $scim,
        'field' => $field,
        'convert' => (string) ($rule['convert'] ?? 'none'),
        'absent' => (string) ($rule['absent'] ?? 'clear'),
      ];
    }

    $role_map = [];
    $role_rows = [];
    foreach ((array) $form_state->getValue('role_map', []) as $row => $entry) {
      $group = trim((string) ($entry['group'] ?? ''));
      $role = (string) ($entry['role'] ?? '');
      if ($group === '' && $role === '') {
        continue;
      }
      $role_rows[] = $row;
      $role_map[] = ['group' => $group, 'role' => $role];
    }

    $settings = [
      'operations' => $operations,
      'deprovision' => [
        'deactivate' => (string) $form_state->getValue(['deprovision', 'deactivate']),
        'delete' => (string) $form_state->getValue(['deprovision', 'delete']),
      ],
      'mapping' => [
        'rules' => $rules,
        'sync_password' => (bool) $form_state->getValue('sync_password'),
        'role_map' => $role_map,
        'allowed_roles' => array_values(array_filter((array) $form_state->getValue('allowed_roles', []))),
      ],
      'create_roles' => (bool) $form_state->getValue('create_roles'),
      'protected_roles' => $this->protectedRoles($form_state),
      'takeover' => (string) $form_state->getValue('takeover'),
      'welcome_email' => (bool) $form_state->getValue('welcome_email'),
      'log_retention_days' => (int) $form_state->getValue('log_retention_days'),
      'public_discovery' => (bool) $form_state->getValue('public_discovery'),
    ];
    return [$settings, ['rules' => $rule_rows, 'role_map' => $role_rows]];
  }

  /**
   * Collects the protected roles, keeping those the site does not have.
   *
   * Configured protected roles that do not exist are not offered as
   * checkboxes; they stay protected, so that a role created later under
   * their name is protected from the start.
   *
   * @param \Drupal\Core\Form\FormStateInterface $form_state
   *   The form state.
   *
   * @return string[]
   *   The protected role machine names.
   */
  protected function protectedRoles(FormStateInterface $form_state): array {
    $checked = array_values(array_filter((array) $form_state->getValue('protected_roles', [])));
    $absent = array_diff((array) $this->config(self::CONFIG_NAME)->get('protected_roles'), array_keys($this->roleOptions()));
    return array_values(array_unique(array_merge($checked, $absent)));
  }

  /**
   * {@inheritdoc}
   */
  public function validateForm(array &$form, FormStateInterface $form_state) {
    parent::validateForm($form, $form_state);
    [$settings, $rows] = $this->collect($form_state);
    $validator = new SettingsValidator(array_keys($this->entityTypeManager->getStorage('user_role')->loadMultiple()));
    foreach ($validator->validate($settings) as $path => $message) {
      $form_state->setErrorByName($this->elementName($path, $rows), $this->t('@setting: @message', [
        '@setting' => $path,
        '@message' => $message,
      ]));
    }
    $form_state->set('scim_settings', $settings);
  }

  /**
   * Finds the form element a settings path belongs to.
   *
   * @param string $path
   *   A settings path such as "mapping.rules.2.convert".
   * @param array $rows
   *   For "rules" and "role_map", the table row of each kept entry.
   *
   * @return string
   *   The element name for FormStateInterface::setErrorByName().
   */
  protected function elementName(string $path, array $rows): string {
    $parts = explode('.', $path);
    if ($parts[0] === 'mapping' && isset($parts[1])) {
      array_shift($parts);
    }
    $top = $parts[0];
    if ($top === 'rules' || $top === 'role_map') {
      if (!isset($parts[1])) {
        return $top;
      }
      $row = $rows[$top][(int) $parts[1]] ?? $parts[1];
      return isset($parts[2]) ? "$top][$row][{$parts[2]}" : "$top][$row";
    }
    if ($top === 'deprovision' && isset($parts[1])) {
      return "deprovision][{$parts[1]}";
    }
    return $top;
  }

  /**
   * {@inheritdoc}
   */
  public function submitForm(array &$form, FormStateInterface $form_state) {
    $settings = $form_state->get('scim_settings');
    $config = $this->config(self::CONFIG_NAME);
    foreach ($settings as $key => $value) {
      $config->set($key, $value);
    }
    $config->save();
    parent::submitForm($form, $form_state);
  }

  /**
   * Checks the label of a token about to be generated.
   *
   * @param array $form
   *   The form.
   * @param \Drupal\Core\Form\FormStateInterface $form_state
   *   The form state.
   */
  public function validateNewToken(array &$form, FormStateInterface $form_state) {
    $label = trim((string) $form_state->getValue('new_token_label'));
    if ($label === '') {
      $form_state->setErrorByName('new_token_label', $this->t('Give the new token a label.'));
      return;
    }
    foreach ($this->tokens->listTokens() as $token) {
      if (mb_strtolower($token['label']) === mb_strtolower($label)) {
        $form_state->setErrorByName('new_token_label', $this->t('A token labelled %label already exists.', ['%label' => $token['label']]));
      }
    }
  }

  /**
   * Generates a token and shows it once.
   *
   * The token is kept only in the form state of this request and shown in
   * the rebuilt form; it is never stored in the session or a message queue.
   *
   * @param array $form
   *   The form.
   * @param \Drupal\Core\Form\FormStateInterface $form_state
   *   The form state.
   */
  public function generateToken(array &$form, FormStateInterface $form_state) {
    $label = trim((string) $form_state->getValue('new_token_label'));
    $token = $this->tokens->generate($label);
    $form_state->set('scim_new_token', ['label' => $label, 'token' => $token]);
    $this->messenger()->addStatus($this->t('Token %label generated. Copy it from the SCIM Bearer Token field now: it is shown only this once.', ['%label' => $label]));
    $form_state->setRebuild();
  }

  /**
   * Revokes the token whose button was pressed.
   *
   * @param array $form
   *   The form.
   * @param \Drupal\Core\Form\FormStateInterface $form_state
   *   The form state.
   */
  public function revokeToken(array &$form, FormStateInterface $form_state) {
    $button = $form_state->getTriggeringElement();
    if ($this->tokens->revoke((int) $button['#scim_token_id'])) {
      $this->messenger()->addStatus($this->t('Token %label revoked. Requests with it are refused from now on.', ['%label' => $button['#scim_token_label']]));
    }
  }

}
