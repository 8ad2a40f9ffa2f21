--
-- PostgreSQL database dump
--

\restrict fvqVZyBbgm7r348MkoKhybbNz5IBeNJjJ7jSEOjVvuPBUkPMWfZhZ66JpmbO3v2

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: assessments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.assessments (
    id integer NOT NULL,
    organization character varying(200) NOT NULL,
    division character varying(200),
    sector character varying(20),
    size character varying(20),
    assessed_on date NOT NULL,
    questionnaire_version character varying(50) NOT NULL,
    answers_json text NOT NULL,
    scores_json text NOT NULL,
    overall double precision,
    stage_level integer,
    stage_name character varying(100),
    created_at timestamp without time zone NOT NULL,
    submission_id character varying(200),
    updated_at timestamp without time zone
);


--
-- Name: assessments_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.assessments_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: assessments_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.assessments_id_seq OWNED BY public.assessments.id;


--
-- Name: drafts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.drafts (
    id character varying(200) NOT NULL,
    profile_json text,
    answers_json text NOT NULL,
    updated_at timestamp without time zone NOT NULL
);


--
-- Name: schema_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_version (
    version integer NOT NULL,
    description character varying(200) NOT NULL,
    applied_at timestamp without time zone NOT NULL
);


--
-- Name: assessments id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessments ALTER COLUMN id SET DEFAULT nextval('public.assessments_id_seq'::regclass);


--
-- Data for Name: assessments; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.assessments VALUES (1, 'Acme Ltd', 'Sales', 'private', '250-999', '2026-01-01', '2026.1', '{"gr_active_share": 0.0, "gr_projects": 1.0, "gr_self_start": 3, "gr_find_answers": 4, "gr_only_when_asked": 5, "gr_cross_boundary": 1, "gr_email_habit": 2, "gr_managers_take_part": 3, "su_evangelists": 8.0, "su_local_support_share": 9.0, "su_lead": "it", "su_sponsor": 2, "su_local_help": 3, "su_time_to_contribute": 4, "su_unexplained_rollout": 5, "su_recognition": 1, "to_slates": ["links", "tags", "signals"], "to_common_platform": 3, "to_access_share": 18.0, "to_easy_to_use": 5, "to_rigid_structure": 1, "to_reach": 2, "to_integration": 3, "cx_org_model": "dandelion", "cx_projects_aware": 5}', '{"overall": 41.525925925925925, "stage": {"level": 2, "name": "Experimenting", "min": 25.0, "description": "Pilots and local champions; value shows in pockets of the organization."}, "dimensions": [{"id": "grassroots", "name": "Grassroots activity", "score": 30.0, "answered": 8, "items": 8, "weight": 1.0}, {"id": "support", "name": "Support", "score": 39.8, "answered": 8, "items": 8, "weight": 1.0}, {"id": "tooling", "name": "Tooling", "score": 54.77777777777778, "answered": 7, "items": 7, "weight": 1.0}], "weakest": "grassroots", "barrier": true, "org_model": "dandelion", "org_model_reason": "as answered", "recommendations": [{"id": "it-led", "title": "Hand the lead to the business", "advice": "The initiative is led by IT. Find a business owner for it and keep IT as the enabler: over 70% of IT-led social initiatives fail, against about half of business-led ones succeeding.", "reason": "Who leads the initiative: IT", "priority": 1, "source": "Gartner, Predicts 2010"}, {"id": "barrier-grassroots", "title": "Grassroots activity is the barrier: grow communities around real work", "advice": "Little self-started activity yet. Start with communities of practice around problems people already have, and make the first contributors visible: word of mouth (imitation) drives most of the growth.", "reason": "weakest dimension: Grassroots activity (30/100); below the barrier threshold", "priority": 1, "source": "Prosci ADKAR (barrier point); Bass (1969) imitation effect"}, {"id": "explain-the-purpose", "title": "Explain what each tool is for", "advice": "Tools arrived without explanation. For each tool, say which work it replaces (meeting minutes on the wiki, status updates on the microblog) and show an example.", "reason": "Tools arrived unexplained: Strongly agree", "priority": 2, "source": "McAfee, MIT Sloan Management Review 47(3), 2006"}, {"id": "stage-experimenting", "title": "Share success stories and agree a common platform", "advice": "Pilots work in pockets. Publish what they achieved, agree the common platform, and write light guidelines (what to post where), not rules.", "reason": "stage 2", "priority": 3, "source": "IDC and Dachis Group maturity ladders; McAfee 2006"}]}', 41.525925925925925, 2, 'Experimenting', '2026-11-30 06:33:30.033397', 's2-a1', '2026-11-30 06:33:30.033397');
INSERT INTO public.assessments VALUES (4, 'Acme Ltd', 'Legal', 'private', '250-999', '2026-01-04', '2026.1', '{"gr_active_share": 3.0, "gr_projects": 4.0, "gr_self_start": 1, "gr_find_answers": 2, "gr_only_when_asked": 3, "gr_cross_boundary": 4, "gr_email_habit": 5, "gr_managers_take_part": 1, "su_evangelists": 11.0, "su_local_support_share": 12.0, "su_lead": "joint", "su_sponsor": 5, "su_local_help": 1, "su_time_to_contribute": 2, "su_unexplained_rollout": 3, "su_recognition": 4, "to_slates": ["search", "authoring", "extensions"], "to_common_platform": 1, "to_access_share": 21.0, "to_easy_to_use": 3, "to_rigid_structure": 4, "to_reach": 5, "to_integration": 1, "cx_org_model": "centralized", "cx_projects_aware": 3}', '{"overall": 38.837037037037035, "stage": {"level": 2, "name": "Experimenting", "min": 25.0, "description": "Pilots and local champions; value shows in pockets of the organization."}, "dimensions": [{"id": "grassroots", "name": "Grassroots activity", "score": 27.222222222222225, "answered": 8, "items": 8, "weight": 1.0}, {"id": "support", "name": "Support", "score": 56.4, "answered": 8, "items": 8, "weight": 1.0}, {"id": "tooling", "name": "Tooling", "score": 32.888888888888886, "answered": 7, "items": 7, "weight": 1.0}], "weakest": "grassroots", "barrier": true, "org_model": "centralized", "org_model_reason": "as answered", "recommendations": [{"id": "barrier-grassroots", "title": "Grassroots activity is the barrier: grow communities around real work", "advice": "Little self-started activity yet. Start with communities of practice around problems people already have, and make the first contributors visible: word of mouth (imitation) drives most of the growth.", "reason": "weakest dimension: Grassroots activity (27/100); below the barrier threshold", "priority": 1, "source": "Prosci ADKAR (barrier point); Bass (1969) imitation effect"}, {"id": "loosen-structure", "title": "Loosen the structure", "advice": "Publishing requires fixed categories or approval. Let people write first and let structure emerge from links and tags; over-structuring early is a known failure recipe.", "reason": "Rigid structure: Agree", "priority": 2, "source": "McAfee, MIT Sloan Management Review 47(3), 2006"}, {"id": "agree-common-platform", "title": "Agree on a common platform", "advice": "Teams use tools that cannot link to each other. Agree on a common platform (or connect the existing ones) so that separate areas can connect later.", "reason": "Common platform: Strongly disagree", "priority": 2, "source": "McAfee, MIT Sloan Management Review 47(3), 2006"}, {"id": "time-to-contribute", "title": "Make contributing part of the job", "advice": "People have no time at work to contribute. Say explicitly that documenting and answering on the tools is work, and let managers recognise it.", "reason": "Time to contribute: Disagree", "priority": 2, "source": "McAfee, MIT Sloan Management Review 47(3), 2006 (managerial support)"}, {"id": "add-signals", "title": "Add signals and search", "advice": "Without alerts, feeds and search across teams, good content stays unseen. Switch on notifications and enterprise search for the social tools.", "reason": "SLATES capabilities: search, authoring, extensions (no signals)", "priority": 3, "source": "McAfee, SLATES, 2006"}, {"id": "stage-experimenting", "title": "Share success stories and agree a common platform", "advice": "Pilots work in pockets. Publish what they achieved, agree the common platform, and write light guidelines (what to post where), not rules.", "reason": "stage 2", "priority": 3, "source": "IDC and Dachis Group maturity ladders; McAfee 2006"}]}', 38.837037037037035, 2, 'Experimenting', '2026-11-30 06:33:30.046748', 's2-a4', '2026-11-30 06:33:30.046748');
INSERT INTO public.assessments VALUES (3, 'Acme Ltd', 'Support', 'private', '250-999', '2026-01-03', '2026.1', '{"gr_active_share": 5, "gr_projects": 3.0, "gr_self_start": 5, "gr_find_answers": 1, "gr_only_when_asked": 2, "gr_cross_boundary": 3, "gr_email_habit": 4, "gr_managers_take_part": 5, "su_evangelists": 10.0, "su_local_support_share": 11.0, "su_lead": "business", "su_sponsor": 4, "su_local_help": 5, "su_time_to_contribute": 1, "su_unexplained_rollout": 2, "su_recognition": 3, "to_slates": ["links", "tags", "signals"], "to_common_platform": 5, "to_access_share": 20.0, "to_easy_to_use": 2, "to_rigid_structure": 3, "to_reach": 4, "to_integration": 5, "cx_org_model": "organic", "cx_projects_aware": 2}', '{"overall": 57.955555555555556, "stage": {"level": 3, "name": "Coordinated", "min": 45.0, "description": "A common platform and shared guidelines; projects can find each other."}, "dimensions": [{"id": "grassroots", "name": "Grassroots activity", "score": 48.33333333333333, "answered": 8, "items": 8, "weight": 1.0}, {"id": "support", "name": "Support", "score": 62.20000000000001, "answered": 8, "items": 8, "weight": 1.0}, {"id": "tooling", "name": "Tooling", "score": 63.333333333333336, "answered": 7, "items": 7, "weight": 1.0}], "weakest": "grassroots", "barrier": true, "org_model": "organic", "org_model_reason": "as answered", "recommendations": [{"id": "barrier-grassroots", "title": "Grassroots activity is the barrier: grow communities around real work", "advice": "Little self-started activity yet. Start with communities of practice around problems people already have, and make the first contributors visible: word of mouth (imitation) drives most of the growth.", "reason": "weakest dimension: Grassroots activity (48/100); below the barrier threshold", "priority": 1, "source": "Prosci ADKAR (barrier point); Bass (1969) imitation effect"}, {"id": "connect-unconnected-projects", "title": "Connect the grassroots projects on a common platform; do not centralise yet", "advice": "Several independent projects are good evidence of real interest and value. Make them able to find and link to each other (a common platform, a directory of communities), but hold back on central coordination: coordinating too early squelches grassroots efforts.", "reason": "Independent E2.0 projects: 3; Projects know of each other: Disagree", "priority": 2, "source": "Enterprise 2.0: All Talk and No Action? (2009), discussion; McAfee 2006"}, {"id": "time-to-contribute", "title": "Make contributing part of the job", "advice": "People have no time at work to contribute. Say explicitly that documenting and answering on the tools is work, and let managers recognise it.", "reason": "Time to contribute: Strongly disagree", "priority": 2, "source": "McAfee, MIT Sloan Management Review 47(3), 2006 (managerial support)"}, {"id": "stage-coordinated", "title": "Give the initiative a sponsor and measure it", "advice": "Projects can find each other. Now is the time for a business sponsor, support in every division and a few measures of adoption (active contributors, questions answered).", "reason": "stage 3", "priority": 3, "source": "IDC and Dachis Group maturity ladders; Microsoft 365 Adoption Score (measure adoption)"}]}', 57.955555555555556, 3, 'Coordinated', '2026-11-30 06:33:30.043879', 's2-a3', '2026-11-30 06:33:30.052797');


--
-- Data for Name: drafts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.drafts VALUES ('s2-draft', '{"organization": "Draft Org", "division": "R&D", "sector": "public", "size": "1-249"}', '{"gr_active_share": 2}', '2026-11-30 06:33:30.054898');
INSERT INTO public.drafts VALUES ('s2-draft-empty', NULL, '{}', '2026-11-30 06:33:30.057211');


--
-- Data for Name: schema_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.schema_version VALUES (1, 'first schema: assessments and drafts', '2026-11-30 06:33:30.010472');
INSERT INTO public.schema_version VALUES (2, 'assessments.submission_id (unique) and assessments.updated_at', '2026-11-30 06:33:30.01526');


--
-- Name: assessments_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.assessments_id_seq', 4, true);


--
-- Name: assessments assessments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessments
    ADD CONSTRAINT assessments_pkey PRIMARY KEY (id);


--
-- Name: drafts drafts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.drafts
    ADD CONSTRAINT drafts_pkey PRIMARY KEY (id);


--
-- Name: schema_version schema_version_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_version
    ADD CONSTRAINT schema_version_pkey PRIMARY KEY (version);


--
-- Name: ix_assessments_organization; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_assessments_organization ON public.assessments USING btree (organization);


--
-- Name: ix_assessments_submission_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_assessments_submission_id ON public.assessments USING btree (submission_id);


--
-- PostgreSQL database dump complete
--

\unrestrict fvqVZyBbgm7r348MkoKhybbNz5IBeNJjJ7jSEOjVvuPBUkPMWfZhZ66JpmbO3v2

